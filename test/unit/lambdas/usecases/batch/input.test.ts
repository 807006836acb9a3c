import type { Batch, BatchInput } from '../../../../../lambdas/domain/batch';
import { DEFAULT_CSV_LIMITS } from '../../../../../lambdas/domain/csv/reader';
import { takeArrival } from '../../../../../lambdas/usecases/batch/input';
import { resumeDispatch, splitArrivedObject, splitBatch } from '../../../../../lambdas/usecases/batch/split';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { SEED_HEADER, classTemplate } from '../../../../support/class-template';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { drain, resultRows } from '../../../../support/memory/pipeline';
import { AS_ADMIN } from '../../../../support/origins';

/**
 * docs/SPEC.md §3.9 on in-memory ports: a batch takes one file of at most the maximum size, and both passes of the
 * split read that file. The in-memory bucket keeps no versions, so the file is pinned by its ETag.
 */
let deps: MemoryDeps;

beforeEach(() => {
  deps = memoryDeps();
});

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
const swapped = (rows: number) =>
  [SEED_HEADER, ...Array.from({ length: rows }, (_, n) => `Swapped-${n + 1},admin,365,yes,yes,no,5`)].join('\n');

async function presigned(): Promise<Batch> {
  return (await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN })).batch;
}

/** PUTs `csv` to the batch's object, as its presigned URL lets any client: the object as its event describes it. */
async function upload(batch: Batch, csv: string): Promise<BatchInput> {
  await deps.objects.write(batch.objectKey, csv, 'text/csv');
  const { eTag, size } = (await deps.objects.info(batch.objectKey))!;
  return { eTag, size };
}

const arrive = (batch: Batch, object: BatchInput, limits = DEFAULT_CSV_LIMITS) =>
  splitArrivedObject(deps, batch.objectKey, limits, object);

const invitationsOf = async (batchId: string) =>
  (await deps.store.listInvitations({ batchId }, 100, undefined, new Date().toISOString())).items.length;

describe('a batch input', () => {
  test('a second file for a batch that took one changes nothing: rows, counts and results come from the first', async () => {
    const batch = await presigned();
    const first = await upload(batch, classTemplate(3));
    expect(await arrive(batch, first)).toMatchObject({ outcome: 'taken', batch: { input: first } });
    await drain(deps);
    const done = await batchNow(batch.id);
    expect(done).toMatchObject({ state: 'completed', total: 3, succeeded: 3, failed: 0, input: first });

    const second = await upload(batch, swapped(5));
    expect(await arrive(batch, second)).toEqual({ outcome: 'ignored', batchId: batch.id, reason: 'another_file' });
    // The first file's event again: the batch takes it again, and its split has nothing left to do.
    expect(await arrive(batch, first)).toMatchObject({ outcome: 'taken' });
    await drain(deps);
    expect(await batchNow(batch.id)).toEqual(done);
    expect((await resultRows(deps, done)).map((row) => row.Name)).toEqual(['Student-1', 'Student-2', 'Student-3']);
    expect(await invitationsOf(batch.id)).toBe(3);
  });

  test('a file over the maximum size is refused on arrival with the reason, removed, and creates nothing', async () => {
    const limits = { ...DEFAULT_CSV_LIMITS, maxBytes: 100 };
    const batch = await presigned();
    const oversized = await upload(batch, classTemplate(5));
    expect(oversized.size).toBeGreaterThan(100);
    expect(await arrive(batch, oversized, limits)).toEqual({
      outcome: 'refused',
      batchId: batch.id,
      reason: 'too_large',
    });
    const refused = await batchNow(batch.id);
    expect(refused).toMatchObject({
      state: 'failed',
      input: { size: oversized.size },
      error: {
        code: 'too_large',
        message: `The file is ${oversized.size} bytes, larger than 100 bytes, the maximum. Split it into smaller files.`,
      },
    });
    expect(refused.total).toBeUndefined();
    expect(await deps.objects.info(batch.objectKey)).toBeUndefined();
    expect(await invitationsOf(batch.id)).toBe(0);

    // The URL still works (until it expires), but the batch took its one file.
    const small = await upload(batch, `${SEED_HEADER}\nTiny,ro,1,no,no,no,1\n`);
    expect(await arrive(batch, small, limits)).toEqual({
      outcome: 'ignored',
      batchId: batch.id,
      reason: 'another_file',
    });
    expect(await batchNow(batch.id)).toEqual(refused);
    expect(await invitationsOf(batch.id)).toBe(0);
  });

  test('a file replaced between the claim and the split is not read: the batch fails with input_changed', async () => {
    const batch = await presigned();
    const first = await upload(batch, classTemplate(4));
    const arrival = await takeArrival(deps, batch, first, DEFAULT_CSV_LIMITS);
    expect(arrival).toMatchObject({ outcome: 'taken', batch: { state: 'queued' } });

    const second = await upload(batch, swapped(4));
    await splitBatch(deps, await batchNow(batch.id), DEFAULT_CSV_LIMITS);
    await arrive(batch, second);

    const failed = await batchNow(batch.id);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'input_changed' } });
    expect(failed.error!.message).toMatch(/replaced or removed after it arrived/);
    expect(failed.total).toBeUndefined();
    expect(await invitationsOf(batch.id)).toBe(0);
  });

  test("two uploads before the first event is handled: the first claims the batch, and the second's bytes are never read", async () => {
    const batch = await presigned();
    const first = await upload(batch, classTemplate(3));
    const second = await upload(batch, swapped(3));
    await arrive(batch, first);
    expect(await arrive(batch, second)).toEqual({ outcome: 'ignored', batchId: batch.id, reason: 'another_file' });
    expect(await batchNow(batch.id)).toMatchObject({
      state: 'failed',
      input: { eTag: first.eTag },
      error: { code: 'input_changed' },
    });
    expect(await invitationsOf(batch.id)).toBe(0);
  });

  test('the second reading of a split file reads the same file, or none: a replaced file fails the batch', async () => {
    const batch = await presigned();
    const first = await upload(batch, classTemplate(2));
    await takeArrival(deps, batch, first, DEFAULT_CSV_LIMITS);
    // The first pass ended; the split stopped before it sent any chunk.
    await deps.batches.transition(await batchNow(batch.id), ['queued'], 'processing', {
      total: 2,
      warnings: [],
      updatedAt: deps.now().toISOString(),
    });

    await upload(batch, swapped(2));
    await resumeDispatch(deps, await batchNow(batch.id), DEFAULT_CSV_LIMITS);

    expect(await batchNow(batch.id)).toMatchObject({
      state: 'failed',
      total: 2,
      succeeded: 0,
      error: { code: 'input_changed' },
    });
    expect(deps.rows.sent).toEqual([]);
    expect(await invitationsOf(batch.id)).toBe(0);
  });

  test('a file for a batch that ended without one is ignored, and the batch stays as it ended', async () => {
    const batch = await presigned();
    const ended = await deps.batches.transition(batch, ['awaiting_upload'], 'failed');
    const late = await upload(batch, classTemplate(1));
    expect(await arrive(batch, late)).toEqual({ outcome: 'ignored', batchId: batch.id, reason: 'ended' });
    expect(await batchNow(batch.id)).toEqual(ended);
  });

  test('two arrivals racing for one batch: one claims it, the other is ignored', async () => {
    const batch = await presigned();
    const hold = deps.tables.interleaving.hold('claimInput');
    const first = takeArrival(deps, batch, { eTag: '"one"', size: 10 }, DEFAULT_CSV_LIMITS);
    const second = takeArrival(deps, batch, { eTag: '"two"', size: 10 }, DEFAULT_CSV_LIMITS);
    await hold.reached(2);
    hold.release();
    const outcomes = (await Promise.all([first, second])).map(({ outcome }) => outcome).sort();
    expect(outcomes).toEqual(['ignored', 'taken']);
    expect(await batchNow(batch.id)).toMatchObject({ state: 'queued', input: { eTag: '"one"' } });
  });
});
