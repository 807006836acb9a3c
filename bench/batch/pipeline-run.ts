import { join } from 'node:path';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { getBatch, rowsDone, saveResults, startBatch, uploadBatchFile } from '../../cli/batches';
import type { RegistryClient } from '../../cli/http';
import type { BatchView } from '../../lambdas/contract/views';
import { writeClassTemplate } from './class-template';
import { checkResults } from './results-check';

/** How often the batch is read while it runs: the finish is known to within this much. */
const POLL_MS = 200;
/** A batch that takes longer than this fails the run (a stuck pipeline, not a slow one). */
const timeLimitMs = (rows: number) => 60_000 + 10 * rows;

export interface PipelinePlan {
  rows: number;
  /** The batch's `concurrency` option: chunks of the batch processed at once at most. */
  batchConcurrency: number;
  /** Every row has an `Email`; with `deliver`, the batch e-mails each invitation (docs/SPEC.md §4.8). */
  email?: { deliver: boolean };
}

/** Seconds from the start of the upload (`POST /batches`) to each point of the batch's life, as polled. */
export interface PipelineResult {
  plan: PipelinePlan;
  fileBytes: number;
  /** The file is in S3 (the PUT answered). */
  uploadedMs: number;
  /** The splitter has counted the rows (`total` is known) and is sending them. */
  countedMs: number;
  /** Every row has its outcome recorded. */
  rowsDoneMs: number;
  /** `completed` with its results CSV written. */
  completedMs: number;
  rowsPerSecond: number;
}

type Milestone = 'countedMs' | 'rowsDoneMs';

const reached: Record<Milestone, (batch: BatchView) => boolean> = {
  countedMs: (batch) => batch.total !== undefined,
  rowsDoneMs: (batch) => batch.total !== undefined && rowsDone(batch) === batch.total,
};

/** Polls until the batch is completed with its results ready; fails on a failed batch or after the time limit. */
async function waitForCompletion(client: RegistryClient, id: string, rows: number, startedAt: number) {
  const milestones: Partial<Record<Milestone, number>> = {};
  const deadline = startedAt + timeLimitMs(rows);
  let batch: BatchView | undefined;
  while (performance.now() < deadline) {
    batch = (await getBatch(client, id)).batch;
    const elapsed = performance.now() - startedAt;
    for (const milestone of Object.keys(reached) as Milestone[]) {
      if (reached[milestone](batch)) milestones[milestone] ??= elapsed;
    }
    if (batch.state === 'failed') throw new Error(`batch ${id} failed: ${JSON.stringify(batch.error)}`);
    if (batch.state === 'completed' && batch.resultsReady) {
      return { countedMs: elapsed, rowsDoneMs: elapsed, ...milestones, completedMs: elapsed, batch };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const where = batch ? `${batch.state}, ${rowsDone(batch)}/${batch.total ?? '?'} rows` : 'never read';
  throw new Error(`batch ${id} not completed after ${timeLimitMs(rows) / 1000} s (${where})`);
}

/**
 * The invitation a benchmarked batch is created under, as a department's roster is: so the splitter reserves
 * the rows of its allowance (docs/SPEC.md §3.8) and every chunk checks it, as in real use.
 */
const createParent = (client: RegistryClient, rows: number) =>
  client.admin<IssuedInvitation>({
    method: 'POST',
    path: '/invitations',
    body: { name: `bench parent of ${rows} rows`, type: 'admin', validDays: 365, maxDevices: 2, maxDescendants: rows },
  });

/**
 * One batch as the CLI runs it: a class template of `plan.rows` rows under a parent, `POST /batches` with JSON
 * options, the file PUT to the presigned URL, `GET /batches/{id}` polled until completed; then the results are
 * downloaded and checked row by row (any wrong or missing row fails the run). Files go to `workdir`.
 */
export async function runPipeline(client: RegistryClient, plan: PipelinePlan, workdir: string) {
  const input = await writeClassTemplate(join(workdir, `input-${plan.rows}.csv`), plan.rows, plan.email !== undefined);
  const parent = await createParent(client, plan.rows);
  const startedAt = performance.now();
  const started = await startBatch(client, {
    concurrency: plan.batchConcurrency,
    parentId: parent.invitation.id,
    ...(plan.email?.deliver && { deliver: true }),
  });
  await uploadBatchFile(started, input);
  const uploadedMs = performance.now() - startedAt;
  const { batch, ...milestones } = await waitForCompletion(client, started.batchId, plan.rows, startedAt);

  if (batch.succeeded !== plan.rows || batch.failed !== 0) {
    throw new Error(`batch ${batch.id}: ${batch.succeeded} succeeded, ${batch.failed} failed of ${plan.rows} rows`);
  }
  const output = join(workdir, `results-${batch.id}.csv`);
  await saveResults(client, batch.id, { file: output });
  await checkResults(output, plan.rows);
  return {
    plan,
    fileBytes: input.size,
    uploadedMs,
    ...milestones,
    rowsPerSecond: plan.rows / (milestones.completedMs / 1000),
  } satisfies PipelineResult;
}
