import { withEmbeddedStack } from '../shared/bench-stack';
import { describeMachine } from '../shared/machine';
import { benchOutDir, RESULTS_FILE } from '../shared/paths';
import { formatMarkdown, writeResults } from '../shared/results-file';
import { measureColdStarts } from './cold-start';
import { measureApi } from './measure-api';
import { PHASE_PLANS } from './phases';
import { API_RESULTS, renderColdStarts, renderResults } from './report';

/** `npm run bench -- --cold-start-only`: bundles and times the functions alone, printed, RESULTS.md untouched. */
const COLD_START_ONLY = process.argv.includes('--cold-start-only');

async function main(): Promise<number> {
  if (COLD_START_ONLY) {
    console.log(await formatMarkdown(renderColdStarts(measureColdStarts(benchOutDir())), RESULTS_FILE));
    return 0;
  }
  const machine = describeMachine();
  const api = await withEmbeddedStack(API_RESULTS.label, (stack) => measureApi(stack, PHASE_PLANS));
  // After the stack has stopped, so DynamoDB Local takes no CPU from the timed processes.
  console.error('bench/api: bundling every function as CDK does and timing module init…');
  const coldStarts = measureColdStarts(benchOutDir());

  const markdown = renderResults({ machine, api, coldStarts });
  console.log(await formatMarkdown(markdown, RESULTS_FILE));
  const failed = api.phases.filter((result) => result.errors > 0);
  if (failed.length > 0) {
    for (const { plan, errors, errorSamples } of failed) {
      console.error(
        `FAILED: ${plan.scenario} at ${plan.concurrency} client(s): ${errors} errors, e.g. ${errorSamples.join(' | ')}`,
      );
    }
    console.error(`bench/api: not writing ${RESULTS_FILE}: every request must be answered right`);
    return 1;
  }
  await writeResults(RESULTS_FILE, API_RESULTS, markdown);
  console.error(`bench/api: results written to ${RESULTS_FILE}`);
  return 0;
}

process.exitCode = await main();
