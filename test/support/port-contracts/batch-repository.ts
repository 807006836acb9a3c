import type { Batch, BatchCounts, StoredRowResult } from '../../../lambdas/domain/batch';
import type { Invitation } from '../../../lambdas/domain/invitation';
import { type AuditLog, type BatchRepository, type InvitationRepository, StaleState } from '../../../lambdas/ports';
import { eventOf, newId, storedInvitation } from './fixtures';

export interface BatchPorts {
  batches: BatchRepository;
  store: InvitationRepository;
  auditLog: Pick<AuditLog, 'ofTarget'>;
}

const AT = '2026-11-21T08:00:00Z';
const LATER = '2026-11-21T09:00:00Z';

/** A new batch awaiting its upload, by `createdBy` (each test its own, so listings see only theirs). */
function newBatch(createdBy: string, overrides: Partial<Batch> = {}): Batch {
  const id = newId();
  return {
    id,
    state: 'awaiting_upload',
    source: 'api',
    options: { includeEncoded: false, concurrency: 2, hasHeader: true },
    createdBy,
    createdAt: AT,
    updatedAt: AT,
    objectKey: `uploads/${id}.csv`,
    warnings: [],
    succeeded: 0,
    failed: 0,
    ...overrides,
  };
}

const rows = (first: number, count: number, status: 'Success' | 'Failed' = 'Failed'): StoredRowResult[] =>
  Array.from({ length: count }, (_, n) => ({
    row: first + n,
    line: first + n + 1,
    status,
    name: `Row-${first + n}`,
    type: 'read_only',
    ...(status === 'Failed' && { error: 'refused' }),
  }));

/**
 * The batch repository's promises: every move of a batch is conditional and answers the batch as it left it; a
 * chunk is recorded once, in one write that tells whether it settled the batch; a batch's reservation of its
 * parent's and ancestors' allowances lands with its move, or not at all, and is given back the same way.
 */
export function batchRepositoryContract(make: () => Promise<BatchPorts>): void {
  let ports: BatchPorts;
  let creator: string;
  beforeAll(async () => {
    ports = await make();
  });
  beforeEach(() => {
    creator = `arn:test:${newId()}`;
  });

  const created = async (overrides: Partial<Batch> = {}) => {
    const batch = newBatch(creator, overrides);
    await ports.batches.createBatch(batch, eventOf(batch.id));
    return batch;
  };

  const processing = async (total: number, overrides: Partial<Batch> = {}) =>
    (await ports.batches.transition(await created(overrides), ['awaiting_upload'], 'processing', {
      total,
      updatedAt: AT,
    }))!;

  const commit = (batch: Batch, chunk: number, results: StoredRowResult[], counts: BatchCounts = batch) =>
    ports.batches.commitChunk({ batchId: batch.id, chunk, at: LATER, results, events: [], counts });

  const invitationStored = async (overrides: Partial<Invitation> = {}, parent?: Invitation) => {
    const stored = storedInvitation(overrides, parent);
    await ports.store.createInvitation(stored, eventOf(stored.id));
    return stored;
  };
  const recorded = async (batchId: string, chunks: number[]) =>
    [...(await ports.batches.recordedChunks(batchId, chunks))].sort();
  const spent = async (id: string) => (await ports.store.getInvitation(id))!.value.descendantsCreated;

  describe('batch repository', () => {
    test('a batch is created with its counts at zero and its event; a dropped file starts one batch only', async () => {
      const batch = await created();
      expect(await ports.batches.getBatch(batch.id)).toEqual(batch);
      expect(await ports.auditLog.ofTarget(batch.id)).toHaveLength(1);
      expect(await ports.batches.getBatch(newId())).toBeUndefined();

      const marker = `marker-${newId()}`;
      const dropped = newBatch(creator, { source: 's3' });
      await ports.batches.createBatch(dropped, eventOf(dropped.id), marker);
      expect(await ports.batches.batchIdForDrop(marker)).toBe(dropped.id);
      const again = newBatch(creator, { source: 's3' });
      await expect(ports.batches.createBatch(again, eventOf(again.id), marker)).rejects.toBeInstanceOf(StaleState);
      expect(await ports.batches.getBatch(again.id)).toBeUndefined();
      expect(await ports.batches.batchIdForDrop(`marker-${newId()}`)).toBeUndefined();
    });

    test('a transition answers the batch as it left it, and nothing when someone moved it first', async () => {
      const batch = await processing(3, { warnings: ['w'] });
      expect(batch).toMatchObject({ state: 'processing', total: 3, warnings: ['w'], succeeded: 0, failed: 0 });
      expect(await ports.batches.getBatch(batch.id)).toEqual(batch);
      expect(await ports.batches.transition(batch, ['queued'], 'failed')).toBeUndefined();
      expect(await ports.batches.getBatch(batch.id)).toEqual(batch);

      const error = { code: 'no_header_columns', message: 'no Type' };
      const failed = await ports.batches.transition(batch, ['processing'], 'failed', { error }, eventOf(batch.id));
      expect(failed).toMatchObject({ state: 'failed', error, total: 3 });
      expect(await ports.batches.getBatch(batch.id)).toEqual(failed);
      expect(await ports.auditLog.ofTarget(batch.id)).toHaveLength(2);
    });

    test('a claim answers the batch pinned to the object, or to the one that claimed it first; an ended batch stays without one', async () => {
      const batch = await created();
      const first = { eTag: '"first"', size: 10 };
      const pinned = await ports.batches.claimInput(batch, first, LATER);
      expect(pinned).toMatchObject({ state: 'queued', input: first, updatedAt: LATER });
      expect(await ports.batches.getBatch(batch.id)).toEqual(pinned);
      expect(await ports.batches.claimInput(batch, { eTag: '"second"', size: 10 }, LATER)).toEqual(pinned);

      const ended = await created();
      await ports.batches.transition(ended, ['awaiting_upload'], 'failed');
      const unclaimed = await ports.batches.claimInput(ended, first, LATER);
      expect(unclaimed).toMatchObject({ state: 'failed' });
      expect(unclaimed).not.toHaveProperty('input');
      expect(await ports.batches.claimInput(newBatch(creator), first, LATER)).toBeUndefined();
    });

    test('dispatch is marked only on a processing batch; the completion event is marked published once', async () => {
      const waiting = await created();
      await ports.batches.markDispatched(waiting.id, LATER);
      expect(await ports.batches.getBatch(waiting.id)).not.toHaveProperty('dispatchedAt');
      const batch = await processing(1);
      await ports.batches.markDispatched(batch.id, LATER);
      expect(await ports.batches.getBatch(batch.id)).toMatchObject({ dispatchedAt: LATER });

      expect(await ports.batches.eventPublished(batch.id)).toBe(false);
      expect(await ports.batches.markEventPublished(batch.id)).toBe(true);
      expect(await ports.batches.markEventPublished(batch.id)).toBe(false);
      expect(await ports.batches.eventPublished(batch.id)).toBe(true);
      expect(await ports.batches.getBatch(batch.id)).not.toHaveProperty('eventPublished');
    });

    test('a chunk is recorded once with its counts and progress time; the one that brings them to the total says it settled the batch', async () => {
      const batch = await processing(4);
      expect(await commit(batch, 0, rows(1, 2))).toEqual({ outcome: 'committed', finished: false });
      expect(await commit(batch, 0, rows(1, 2))).toEqual({ outcome: 'duplicate' });
      expect(await ports.batches.getBatch(batch.id)).toMatchObject({ succeeded: 0, failed: 2, progressAt: LATER });
      expect(await recorded(batch.id, [0, 1, 2])).toEqual([0]);
      expect(await commit(batch, 1, rows(3, 2))).toEqual({ outcome: 'committed', finished: true });
      expect(await ports.batches.getBatch(batch.id)).toMatchObject({ total: 4, succeeded: 0, failed: 4 });
      expect(await recorded(batch.id, [0, 1, 2])).toEqual([0, 1]);
    });

    test('a chunk whose counts were read before another chunk landed still learns, from its write alone, that it settled the batch', async () => {
      const batch = await processing(6);
      expect(await commit(batch, 0, rows(1, 3))).toEqual({ outcome: 'committed', finished: false });
      expect(await commit(batch, 1, rows(4, 3))).toEqual({ outcome: 'committed', finished: true });
      expect(await ports.batches.getBatch(batch.id)).toMatchObject({ total: 6, succeeded: 0, failed: 6 });
    });

    test('a chunk creates its invitations with their events, only while the parent still invites', async () => {
      const parent = await invitationStored();
      const batch = await processing(2, { options: { ...newBatch(creator).options, parentId: parent.id } });
      const child = storedInvitation({ batchId: batch.id, batchRow: 1 }, parent);
      const success: StoredRowResult = { ...rows(1, 1, 'Success')[0]!, invitation: child };
      const parentCheck = { parentId: parent.id, at: LATER };
      const record = await ports.batches.commitChunk({
        batchId: batch.id,
        chunk: 0,
        at: LATER,
        results: [success],
        events: [eventOf(child.id)],
        parentCheck,
        counts: batch,
      });
      expect(record).toEqual({ outcome: 'committed', finished: false });
      expect((await ports.store.getInvitation(child.id))?.value).toEqual(child);
      expect(await ports.store.invitationIdForToken(child.tokenHash)).toBe(child.id);
      expect(await ports.auditLog.ofTarget(child.id)).toHaveLength(1);

      await ports.store.revokeDevices(
        (await ports.store.getInvitation(parent.id))!,
        [],
        { at: AT, by: 'admin' },
        eventOf(parent.id),
        { invitationStatus: 'revoked' },
      );
      const late = storedInvitation({ batchId: batch.id, batchRow: 2 }, parent);
      await expect(
        ports.batches.commitChunk({
          batchId: batch.id,
          chunk: 1,
          at: LATER,
          results: [{ ...rows(2, 1, 'Success')[0]!, invitation: late }],
          events: [eventOf(late.id)],
          parentCheck,
          counts: batch,
        }),
      ).rejects.toBeInstanceOf(StaleState);
      expect(await ports.store.getInvitation(late.id)).toBeUndefined();
      expect(await recorded(batch.id, [1])).toEqual([]);
      // Rows that all failed create nothing, so the parent's state does not hold them.
      expect(await commit(batch, 1, rows(2, 1), { ...batch, succeeded: 1 })).toEqual({
        outcome: 'committed',
        finished: true,
      });
    });

    test('row results come back in row order across chunks; a chunk never recorded is an error', async () => {
      const batch = await processing(5);
      await commit(batch, 1, rows(3, 3));
      await commit(batch, 0, rows(1, 2, 'Success'));
      const results: StoredRowResult[] = [];
      for await (const result of ports.batches.rowResults(batch.id, 2)) results.push(result);
      expect(results.map(({ row, status }) => [row, status])).toEqual([
        [1, 'Success'],
        [2, 'Success'],
        [3, 'Failed'],
        [4, 'Failed'],
        [5, 'Failed'],
      ]);
      const beyond = async () => {
        for await (const _ of ports.batches.rowResults(batch.id, 3));
      };
      await expect(beyond()).rejects.toThrow(/no record of chunk 2/);
    });

    test('a reservation spends the allowances of the parent and ancestors with the move, or nothing moves; a refund gives it back', async () => {
      const root = await invitationStored({ maxDescendants: 10 });
      const parent = await invitationStored({ maxDescendants: 3 }, root);
      const batch = await created();
      const spends = [
        { id: parent.id, units: 3, maxDescendants: 3, parent: true },
        { id: root.id, units: 3, maxDescendants: 10, parent: false },
      ];
      const started = await ports.batches.transition(
        batch,
        ['awaiting_upload'],
        'processing',
        { total: 4 },
        undefined,
        {
          spending: { spends, at: LATER },
        },
      );
      expect(started).toMatchObject({ state: 'processing', total: 4 });
      expect([await spent(parent.id), await spent(root.id)]).toEqual([3, 3]);

      const other = await created();
      const refused = await ports.batches.transition(other, ['awaiting_upload'], 'processing', {}, undefined, {
        spending: { spends: [{ id: parent.id, units: 1, maxDescendants: 3, parent: true }], at: LATER },
      });
      expect(refused).toBeUndefined();
      expect(await ports.batches.getBatch(other.id)).toMatchObject({ state: 'awaiting_upload' });

      const done = await ports.batches.transition(started!, ['processing'], 'completed', {}, undefined, {
        refund: { ids: [parent.id, root.id], units: 2 },
      });
      expect(done).toMatchObject({ state: 'completed' });
      expect([await spent(parent.id), await spent(root.id)]).toEqual([1, 1]);
    });

    test('batches list newest first, a page at a time, by state or creator; unfinished ones since a time', async () => {
      const made = [await created(), await processing(1), await created()];
      await ports.batches.transition(made[2]!, ['awaiting_upload'], 'failed');
      const ids = made.map(({ id }) => id).reverse();
      const first = await ports.batches.listBatches({ limit: 2, createdBy: creator });
      expect(first.batches.map(({ id }) => id)).toEqual(ids.slice(0, 2));
      const rest = await ports.batches.listBatches({ limit: 2, createdBy: creator, cursor: first.cursor });
      expect(rest.batches.map(({ id }) => id)).toEqual(ids.slice(2));
      expect(rest.batches[0]).toEqual(await ports.batches.getBatch(ids[2]!));
      const processingOnly = await ports.batches.listBatches({ limit: 10, createdBy: creator, state: 'processing' });
      expect(processingOnly.batches.map(({ id }) => id)).toEqual([made[1]!.id]);
      expect(processingOnly.batches[0]).toMatchObject({ total: 1 });

      const unfinished: string[] = [];
      for await (const batch of ports.batches.unfinishedBatches('2020-01-01T00:00:00Z')) {
        if (batch.createdBy === creator) unfinished.push(batch.id);
      }
      expect(unfinished).toEqual([made[1]!.id, made[0]!.id]);
      const none: Batch[] = [];
      for await (const batch of ports.batches.unfinishedBatches('2999-01-01T00:00:00Z')) none.push(batch);
      expect(none).toEqual([]);
    });
  });
}
