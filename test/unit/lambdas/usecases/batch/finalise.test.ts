import { parse } from 'csv-parse/sync';
import type { RowChunk } from '../../../../../lambdas/domain/batch';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { failBatch } from '../../../../../lambdas/usecases/batch/ending';
import { finaliseBatch, resultsKey } from '../../../../../lambdas/usecases/batch/finalise';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { classTemplate } from '../../../../support/class-template';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { runBatch } from '../../../../support/memory/pipeline';
import { AS_ADMIN } from '../../../../support/origins';

/** The finalise stage and a batch's ending, on in-memory ports: results once all rows are in, the end announced once. */
let deps: MemoryDeps;

beforeEach(() => {
  deps = memoryDeps();
});

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
const completions = () => deps.events.published.filter(({ detailType }) => detailType === 'BatchCompleted');

/** A batch split into its chunks, none recorded yet. */
async function splitInto(rows: number, request = {}) {
  const { batch } = await startBatch(deps, { request, csv: classTemplate(rows), source: 'api', origin: AS_ADMIN });
  await splitArrivedObject(deps, batch.objectKey);
  return { batchId: batch.id, chunks: deps.rows.take() as RowChunk[] };
}

describe('the finalise stage', () => {
  test('writes the results in input order, completes the batch, audits it and announces it once', async () => {
    const batch = await runBatch(deps, classTemplate(30), { includeEncoded: true });
    expect(batch).toMatchObject({
      state: 'completed',
      resultsKey: resultsKey(batch.id),
      completedAt: expect.any(String),
    });
    const rows: Record<string, string>[] = parse((await deps.objects.text(resultsKey(batch.id)))!, {
      columns: true,
      bom: true,
    });
    expect(rows.map((row) => row.Name)).toEqual(Array.from({ length: 30 }, (_, n) => `Student-${n + 1}`));
    expect(rows[0]!['Encoded Data']).toMatch(/^eyJ/);
    expect(completions()).toEqual([
      {
        detailType: 'BatchCompleted',
        detail: {
          batchId: batch.id,
          state: 'completed',
          source: 'api',
          total: 30,
          succeeded: 30,
          failed: 0,
          resultsKey: resultsKey(batch.id),
          createdBy: batch.createdBy,
        },
      },
    ]);
    expect((await deps.auditLog.ofTarget(batch.id)).map(({ action }) => action)).toEqual([
      'batch.started',
      'batch.completed',
    ]);

    await finaliseBatch(deps, batch.id);
    expect(await batchNow(batch.id)).toEqual(batch);
    expect(completions()).toHaveLength(1);
    expect(deps.objects.versions(resultsKey(batch.id))).toHaveLength(1);
  });

  test('a request for the results before every row is in, or for no batch, does nothing', async () => {
    const { batchId, chunks } = await splitInto(30);
    await processChunk(deps, chunks[0]!);
    deps.rows.take();
    await finaliseBatch(deps, batchId);
    await finaliseBatch(deps, 'no-such-batch');
    expect(await batchNow(batchId)).toMatchObject({ state: 'processing', succeeded: 25 });
    expect(deps.objects.keys()).not.toContain(resultsKey(batchId));
    expect(completions()).toEqual([]);
  });

  test('an event the bus refused goes out when the results are asked for again, and only then', async () => {
    const { batchId, chunks } = await splitInto(5);
    await processChunk(deps, chunks[0]!);
    deps.events.refuse();
    await expect(finaliseBatch(deps, batchId)).rejects.toThrow(/refused/);
    expect(await batchNow(batchId)).toMatchObject({ state: 'completed' });
    expect(completions()).toEqual([]);
    await finaliseBatch(deps, batchId);
    await finaliseBatch(deps, batchId);
    expect(completions()).toHaveLength(1);
  });

  test('a failure under a lease hands the message back after a back-off', async () => {
    const { batchId, chunks } = await splitInto(5);
    await processChunk(deps, chunks[0]!);
    deps.events.refuse();
    await expect(finaliseBatch(deps, batchId, { receipt: 'r-1', receiveCount: 3 })).rejects.toThrow(/refused/);
    expect(deps.rows.retries).toEqual([{ receipt: 'r-1', seconds: 8 }]);
  });

  test('two requests for the results at once: both write the same file, the batch completes once and is announced', async () => {
    const { batchId, chunks } = await splitInto(5);
    await processChunk(deps, chunks[0]!);
    const hold = deps.tables.interleaving.hold('transition', (id) => id === batchId);
    const both = Promise.all([finaliseBatch(deps, batchId), finaliseBatch(deps, batchId)]);
    await hold.reached(2);
    hold.release();
    await both;
    expect((await deps.auditLog.ofTarget(batchId)).filter(({ action }) => action === 'batch.completed')).toHaveLength(
      1,
    );
    // Each saw it unannounced before either marked it: the event is published at least once, never lost.
    expect(completions().length).toBeGreaterThanOrEqual(1);
    expect(await deps.batches.eventPublished(batchId)).toBe(true);
    expect(new Set(deps.objects.versions(resultsKey(batchId))).size).toBe(1);
  });
});

describe("a batch's ending", () => {
  test('a batch failed as a whole gives back its whole reservation and is announced once; an ended batch stays', async () => {
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', maxDescendants: 10 },
      { origin: AS_ADMIN },
    );
    const { batchId } = await splitInto(4, { parentId: parent.invitation.id });
    const spent = async () => (await deps.store.getInvitation(parent.invitation.id))!.value.descendantsCreated;
    expect(await spent()).toBe(4);

    await failBatch(deps, batchId, 'results_unwritable', 'the bucket refused');
    expect(await batchNow(batchId)).toMatchObject({
      state: 'failed',
      error: { code: 'results_unwritable', message: 'the bucket refused' },
      completedAt: expect.any(String),
    });
    expect(await spent()).toBe(0);
    expect(completions()).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          batchId,
          state: 'failed',
          error: { code: 'results_unwritable', message: 'the bucket refused' },
        }),
      }),
    ]);

    await failBatch(deps, batchId, 'again', 'again');
    expect(await batchNow(batchId)).toMatchObject({ error: { code: 'results_unwritable' } });
    expect(await spent()).toBe(0);
    expect(completions()).toHaveLength(1);
    await failBatch(deps, 'no-such-batch', 'x', 'y');
  });

  test('a completed batch under a parent gives back what its failed rows did not spend, to records that remain', async () => {
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', maxDescendants: 10 },
      { origin: AS_ADMIN },
    );
    const batch = await runBatch(deps, classTemplate(3), { parentId: parent.invitation.id }, { poisonChunks: [0] });
    expect(batch).toMatchObject({ state: 'completed', reservedRows: 3, succeeded: 0, failed: 3 });
    expect((await deps.store.getInvitation(parent.invitation.id))!.value.descendantsCreated).toBe(0);
  });
});
