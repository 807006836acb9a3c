import { withEmbeddedStack } from '../shared/bench-stack';
import { describeMachine } from '../shared/machine';
import { RESULTS_FILE } from '../shared/paths';
import { formatMarkdown, writeResults } from '../shared/results-file';
import { stopChildren } from './child-process';
import { measureBatch } from './measure-batch';
import { BATCH_RESULTS, renderBatchResults } from './report';

/** Any wrong result throws before this writes anything: the results file only ever holds complete, checked runs. */
async function main(): Promise<void> {
  const machine = describeMachine();
  const measurements = await withEmbeddedStack(BATCH_RESULTS.label, measureBatch, stopChildren);
  const markdown = renderBatchResults({ machine, ...measurements });
  console.log(await formatMarkdown(markdown, RESULTS_FILE));
  await writeResults(RESULTS_FILE, BATCH_RESULTS, markdown);
  console.error(`bench/batch: results written to ${RESULTS_FILE}`);
}

await main();
