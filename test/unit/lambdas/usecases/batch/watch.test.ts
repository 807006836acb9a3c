import type { BatchInput, RowChunk } from '../../../../../lambdas/domain/batch';
import { DEFAULT_CSV_LIMITS } from '../../../../../lambdas/domain/csv/reader';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import { AFTER_RESTART_LIMITS, STALL_LIMITS, watchBatches } from '../../../../../lambdas/usecases/batch/watch';
import { classTemplate } from '../../../../support/class-template';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { type DrainOptions, drain } from '../../../../support/memory/pipeline';
import { AS_ADMIN } from '../../../../support/origins';

/** The batch watchdog on in-memory ports: a batch that stopped moving at any stage is set going again. */
const MINUTE = 60_000;

let deps: MemoryDeps;

beforeEach(() => {
  deps = memoryDeps();
});

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
/** The clock moved on by `milliseconds`: the deps then. */
const later = (milliseconds: number) => {
  deps.clock.now = new Date(deps.clock.now.getTime() + milliseconds);
  return deps;
};
const watch = (on = deps, limits = STALL_LIMITS) => watchBatches(on, limits, DEFAULT_CSV_LIMITS);

async function queuedBatch(rows: number, request = {}): Promise<string> {
  const { batch } = await startBatch(deps, { request, csv: classTemplate(rows), source: 'api', origin: AS_ADMIN });
  return batch.id;
}

/** Does what the worker does with every message, then answers the batch. */
async function work(batchId: string, options: DrainOptions = {}) {
  await drain(deps, options);
  return batchNow(batchId);
}

describe('the batch watchdog', () => {
  test('a batch whose rows all have an outcome but whose results nobody asked for is found, reported and completed', async () => {
    const batchId = await queuedBatch(60);
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    // The worker dies before its request for the results is sent.
    expect(await work(batchId, { lose: (message) => message.kind === 'finalise' })).toMatchObject({
      state: 'processing',
      succeeded: 60,
      total: 60,
    });

    expect(await watch()).toEqual([]);
    const found = await watch(later(STALL_LIMITS.finalise * 1000 + MINUTE));
    expect(found).toEqual([{ batchId, stage: 'finalise', action: 'finalise', idleSeconds: expect.any(Number) }]);

    expect(await work(batchId)).toMatchObject({
      state: 'completed',
      succeeded: 60,
      resultsKey: `results/${batchId}.csv`,
    });
    expect(await watch(later(60 * MINUTE))).toEqual([]);
  });

  test('a file that arrived but was never split (its event lost in a crash) is split at the restart', async () => {
    const batchId = await queuedBatch(30);
    const found = await watch(deps, AFTER_RESTART_LIMITS);
    expect(found).toEqual([{ batchId, stage: 'upload', action: 'split', idleSeconds: expect.any(Number) }]);
    expect(await work(batchId)).toMatchObject({ state: 'completed', total: 30, succeeded: 30, failed: 0 });
  });

  test('a split cut short after its first pass: the chunks are sent at the restart, and the batch completes', async () => {
    const batchId = await queuedBatch(100, { concurrency: 2 });
    await deps.batches.transition(await batchNow(batchId), ['queued'], 'processing', {
      total: 100,
      warnings: [],
      updatedAt: deps.now().toISOString(),
    });
    expect(await watch()).toEqual([]);
    const found = await watch(deps, AFTER_RESTART_LIMITS);
    expect(found).toEqual([{ batchId, stage: 'split', action: 'resume', idleSeconds: expect.any(Number) }]);
    const batch = await work(batchId);
    expect(batch).toMatchObject({ state: 'completed', total: 100, succeeded: 100 });
    expect(batch.dispatchedAt).toBeDefined();
  });

  test('pending chunks nobody records are reported; once the queue can no longer hold them, only they are sent again', async () => {
    const batchId = await queuedBatch(100);
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    // Chunks 2 and 3 are lost: taken off the queue and never recorded.
    expect(await work(batchId, { lose: (message) => message.kind === 'rows' && message.chunk >= 2 })).toMatchObject({
      state: 'processing',
      succeeded: 50,
    });

    expect(await watch(later(STALL_LIMITS.rows * 1000 + MINUTE))).toEqual([
      { batchId, stage: 'rows', action: 'none', idleSeconds: expect.any(Number) },
    ]);
    expect(deps.rows.take()).toEqual([]);

    expect(await watch(later(STALL_LIMITS.resend * 1000 + MINUTE))).toEqual([
      { batchId, stage: 'rows', action: 'resume', idleSeconds: expect.any(Number) },
    ]);
    const resent = deps.rows.take() as RowChunk[];
    expect(resent.map(({ chunk }) => chunk)).toEqual([2, 3]);
    for (const chunk of resent) await processChunk(deps, chunk);
    expect(await work(batchId)).toMatchObject({ state: 'completed', succeeded: 100, failed: 0 });
  });

  test('a presigned upload nobody used is left alone; a batch whose file is gone fails, saying so', async () => {
    const { batch } = await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN });
    const waiting = batch.id;
    const vanished = await queuedBatch(10);
    await deps.objects.delete(`uploads/${vanished}.csv`);

    const found = await watch(later(60 * MINUTE));
    expect(found.map(({ batchId }) => batchId)).toEqual([vanished]);
    expect(await batchNow(waiting)).toMatchObject({ state: 'awaiting_upload' });
    expect(await batchNow(vanished)).toMatchObject({
      state: 'failed',
      error: { code: 'input_missing', message: expect.stringMatching(/no longer in the bucket/) },
    });
  });

  test('a batch that cannot be set going is reported with the error, and the others still are', async () => {
    const broken = await queuedBatch(5);
    const fine = await queuedBatch(5);
    const objects = deps.objects;
    const failing = {
      ...deps,
      objects: Object.assign(Object.create(objects) as typeof objects, {
        read: (key: string, pin?: BatchInput) =>
          key.includes(broken) ? Promise.reject(new Error('store down')) : objects.read(key, pin),
      }),
    };
    const found = await watch(failing, AFTER_RESTART_LIMITS);
    expect(found).toEqual([
      { batchId: fine, stage: 'upload', action: 'split', idleSeconds: expect.any(Number) },
      {
        batchId: broken,
        stage: 'upload',
        action: 'split',
        idleSeconds: expect.any(Number),
        error: new Error('store down'),
      },
    ]);
    expect(await work(fine)).toMatchObject({ state: 'completed', succeeded: 5 });
    expect(await batchNow(broken)).toMatchObject({ state: 'queued' });
  });
});
