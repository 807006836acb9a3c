import { type RowChunk, type RowQueueEnvelope, chunkEnvelope, finaliseEnvelope } from '../../../lambdas/domain/batch';
import type { RowQueue } from '../../../lambdas/ports';
import { MESSAGES_PER_SEND } from '../../../system/resources';
import { newId } from './fixtures';

export interface RowQueueHarness {
  queue: RowQueue;
  /** Every message delivered since last asked, with its group and deduplication id, in order within its group. */
  delivered(): Promise<RowQueueEnvelope[]>;
  /** A row queue whose next send the service refuses. */
  refusing(): RowQueue;
}

const chunk = (batchId: string, n: number): RowChunk => ({
  kind: 'rows',
  batchId,
  chunk: n,
  rows: [{ row: n + 1, line: n + 2, echo: { name: `Row ${n}`, type: 'user' }, error: 'Name is required' }],
});

/** The messages of each group, in the order the group holds them: SQS keeps no order across groups. */
const byGroup = (envelopes: RowQueueEnvelope[]) => {
  const groups = new Map<string, RowQueueEnvelope[]>();
  for (const envelope of envelopes) groups.set(envelope.group, [...(groups.get(envelope.group) ?? []), envelope]);
  return Object.fromEntries(groups);
};

/**
 * The row queue's promises: every envelope is delivered with its body, message group and deduplication id, in
 * order within its group, however many one send holds; a deduplication id sent again within the window is one
 * message; a refused send is an error, never a silent drop.
 */
export function rowQueueContract(make: () => Promise<RowQueueHarness>): void {
  let harness: RowQueueHarness;
  beforeAll(async () => {
    harness = await make();
  });

  describe('row queue', () => {
    test('every envelope arrives with its body, group and deduplication id, in order within its group, beyond one batch of sends', async () => {
      const batchId = `batch-${newId()}`;
      const envelopes = [
        ...Array.from({ length: 2 * MESSAGES_PER_SEND + 3 }, (_, n) => chunkEnvelope(chunk(batchId, n), 3)),
        finaliseEnvelope(batchId),
      ];
      await harness.queue.send(envelopes);
      const delivered = await harness.delivered();
      expect(delivered).toHaveLength(envelopes.length);
      expect(byGroup(delivered)).toEqual(byGroup(envelopes));
      expect(Object.keys(byGroup(delivered)).sort()).toEqual([
        `${batchId}.finalise`,
        `${batchId}.lane-0`,
        `${batchId}.lane-1`,
        `${batchId}.lane-2`,
      ]);
    });

    test('a deduplication id sent again within the window is delivered once; a resend with an id of its own is delivered', async () => {
      const batchId = `batch-${newId()}`;
      const first = chunkEnvelope(chunk(batchId, 0), 2);
      await harness.queue.send([first, first, finaliseEnvelope(batchId)]);
      await harness.queue.send([first, finaliseEnvelope(batchId), chunkEnvelope(chunk(batchId, 0), 2, 'round-1')]);
      const delivered = await harness.delivered();
      expect(byGroup(delivered)).toEqual({
        [`${batchId}.lane-0`]: [first, chunkEnvelope(chunk(batchId, 0), 2, 'round-1')],
        [`${batchId}.finalise`]: [finaliseEnvelope(batchId)],
      });
    });

    test('a send the queue refuses is an error, and nothing of it is delivered', async () => {
      const batchId = `batch-${newId()}`;
      await expect(harness.refusing().send([chunkEnvelope(chunk(batchId, 0), 1)])).rejects.toThrow();
      expect(await harness.delivered()).toEqual([]);
    });
  });
}
