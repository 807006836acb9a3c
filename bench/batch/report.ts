import type { Machine } from '../shared/machine';
import { numeric, runHeader, table } from '../shared/markdown';
import type { ResultsSection } from '../shared/results-file';
import type { BatchMeasurements } from './measure-batch';
import { PIPELINE_SETTINGS } from './plan';
import { CALLS_IN_FLIGHT, ITEMS_PER_ROW } from './write-ceiling';

export const BATCH_RESULTS: ResultsSection = {
  label: 'bench/batch',
  command: 'npm run bench:batch',
  heading: 'Batch throughput and splitter memory (`bench/batch`)',
};

const MIB = 2 ** 20;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (value: number) => value.toFixed(0);
const count = (value: number) => value.toLocaleString('en-US');

function pipelineTable({ pipelines }: BatchMeasurements): string {
  const rows = pipelines.map(({ pipeline, ceiling }) => [
    count(pipeline.plan.rows),
    String(pipeline.plan.batchConcurrency),
    mib(pipeline.fileBytes),
    seconds(pipeline.uploadedMs),
    seconds(pipeline.countedMs),
    seconds(pipeline.rowsDoneMs),
    seconds(pipeline.completedMs),
    rate(pipeline.rowsPerSecond),
    rate(ceiling.rowsPerSecond),
    `${((100 * pipeline.rowsPerSecond) / ceiling.rowsPerSecond).toFixed(0)} %`,
  ]);
  return table(
    [
      ...['rows', 'batch concurrency', 'file MiB', 'uploaded s', 'counted s', 'rows done s', 'completed s'].map(
        numeric,
      ),
      ...['rows/s', 'ceiling rows/s', 'of ceiling'].map(numeric),
    ],
    rows,
  );
}

function ceilingTable({ pipelines }: BatchMeasurements): string {
  const rows = pipelines.map(({ ceiling }) => [
    count(ceiling.rows),
    count(ceiling.items),
    seconds(ceiling.elapsedMs),
    rate(ceiling.itemsPerSecond),
    rate(ceiling.rowsPerSecond),
    count(ceiling.resentItems),
  ]);
  return table(['rows', 'items', 'seconds', 'items/s', 'rows/s', 'unprocessed, resent'].map(numeric), rows);
}

function splitTable({ splits }: BatchMeasurements): string {
  const rows = splits.map((split) => [
    count(split.rows),
    mib(split.fileBytes),
    count(split.messages),
    seconds(split.splitMs),
    rate(split.rows / (split.splitMs / 1000)),
    mib(split.baselineRssBytes),
    mib(split.peakRssBytes),
    mib(split.peakRssBytes - split.baselineRssBytes),
    mib(split.peakHeapUsedBytes),
    mib(split.peakExternalBytes),
  ]);
  return table(
    [
      ...['rows', 'file MiB', 'messages', 'split s', 'rows/s'].map(numeric),
      ...['baseline RSS MiB', 'peak RSS MiB', 'peak − baseline MiB'].map(numeric),
      ...['peak heap used MiB', 'peak external MiB'].map(numeric),
    ],
    rows,
  );
}

export interface BatchBenchResults extends BatchMeasurements {
  machine: Machine;
}

/** The run's figures as Markdown, each beside the ceiling measured in the same run. */
export function renderBatchResults(results: BatchBenchResults): string {
  const settings = PIPELINE_SETTINGS;
  return `${runHeader(results.machine, BATCH_RESULTS.command)}

#### Batch throughput, upload to completed results

Class-template CSV under a parent invitation whose \`maxDescendants\` is the row count, so the splitter reserves
every row of its allowance (SPEC §3.8) and every chunk checks the parent; \`POST /batches\` with JSON options, then a PUT to the presigned URL, then
\`GET /batches/{id}\` every 200 ms. Seconds from the \`POST\` until the file is stored (_uploaded_), the splitter
has counted its rows (_counted_), every row has its outcome (_rows done_), and the batch is \`completed\` with its
results file written; rows/s = rows / completed s. Every result row is then downloaded and checked (Success, in
order, one invitation each). The stack's defaults: ${settings.workerConcurrency} worker invocations at once, each of ${settings.messagesPerInvocation} messages of ${settings.rowsPerMessage} rows.
Ceiling: BatchWriteItem of the same rows' items (${ITEMS_PER_ROW} a row) on a fresh DynamoDB Local (the same jar and JVM), measured right after each batch.

${pipelineTable(results)}

#### Ceiling: raw BatchWriteItem on a fresh DynamoDB Local

A DynamoDB Local of its own, file-backed as the stack's is, started for each measurement and stopped after it.
Tables made as the registry table and the audit table are (same keys, indexes and TTL), deleted
afterwards; each row's invitation item, token item and creation event as the worker builds them; 25 items a call,
${CALLS_IN_FLIGHT} calls in flight. The audit table has no stream here: in DynamoDB Local writes to a table with a stream
slow down as the stream grows, which DynamoDB on AWS does not do; the pipeline pays that, the ceiling does not.

${ceilingTable(results)}

#### Splitter memory

The splitter's streaming path alone (\`splitBatch\`, bundled with esbuild) in a child \`node\` against the stack's
S3 and a scratch queue no worker reads. Peak = the kernel's RSS high-water mark (VmHWM, reset just before the
split); baseline = RSS just before it; heap and external (buffers) = the highest of samples every 10 ms. The
function is given ${settings.splitterMemoryMb} MB.

${splitTable(results)}
`;
}
