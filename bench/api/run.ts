import { join } from 'node:path';
import { projectRoot } from '../../local/paths';
import { withEmbeddedStack } from './bench-stack';
import { measureColdStarts } from './cold-start';
import { describeMachine } from './machine';
import { measureApi } from './measure-api';
import { PHASE_PLANS } from './phases';
import { renderResults } from './report';
import { formatMarkdown, writeResults } from './results-file';

const BENCH_DIR = join(projectRoot(), 'bench');
const RESULTS_FILE = join(BENCH_DIR, 'RESULTS.md');

async function main(): Promise<number> {
  const machine = describeMachine();
  const api = await withEmbeddedStack((stack) => measureApi(stack, PHASE_PLANS));
  // After the stack has stopped, so DynamoDB Local takes no CPU from the timed processes.
  console.error('bench/api: bundling every function as CDK does and timing module init…');
  const coldStarts = measureColdStarts(join(BENCH_DIR, 'out'));

  const markdown = renderResults({ machine, api, coldStarts });
  console.log(await formatMarkdown(markdown, RESULTS_FILE));
  const failed = api.filter((result) => result.errors > 0);
  if (failed.length > 0) {
    for (const { plan, errors, errorSamples } of failed) {
      console.error(
        `FAILED: ${plan.scenario} at ${plan.concurrency} client(s): ${errors} errors, e.g. ${errorSamples.join(' | ')}`,
      );
    }
    console.error(`bench/api: not writing ${RESULTS_FILE}: every request must be answered right`);
    return 1;
  }
  await writeResults(RESULTS_FILE, markdown);
  console.error(`bench/api: results written to ${RESULTS_FILE}`);
  return 0;
}

process.exitCode = await main();
