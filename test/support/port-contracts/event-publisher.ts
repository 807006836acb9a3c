import type { EventPublisher } from '../../../lambdas/ports';
import { EVENTS } from '../../../system/resources';
import { newId } from './fixtures';

export interface PublishedEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

export interface EventPublisherHarness {
  publisher: EventPublisher;
  /** The events published since last asked, oldest first (others' among them, when the bus is shared). */
  published(): Promise<PublishedEvent[]>;
  /** A publisher whose next event the bus refuses. */
  refusing(): EventPublisher;
}

/**
 * The event publisher's promises: each publication is one event with its detail type and its detail as it was
 * when published, in order; a refused event is an error, so the caller retries, and is not published. A put of
 * several events publishes each but those the bus refuses, which it answers by their place in the put.
 */
export function eventPublisherContract(make: () => Promise<EventPublisherHarness>): void {
  let harness: EventPublisherHarness;
  /** This run's events only: their batch ids start with it. */
  const run = `batch-${newId()}`;
  const ours = async () => (await harness.published()).filter(({ detail }) => String(detail.batchId).startsWith(run));

  beforeAll(async () => {
    harness = await make();
  });

  describe('event publisher', () => {
    test('each publication is one event with its detail type and detail as published, in order', async () => {
      const detail = {
        batchId: `${run}-1`,
        state: 'completed',
        total: 3,
        succeeded: 2,
        failed: 1,
        error: { code: 'SOME_ROWS_FAILED', rows: [2] },
      };
      await harness.publisher.publish(EVENTS.batchCompleted, detail);
      const published = structuredClone(detail);
      detail.error.rows.push(3);
      await harness.publisher.publish(EVENTS.batchCompleted, { batchId: `${run}-2`, state: 'failed' });
      await harness.publisher.publish(EVENTS.batchCompleted, { batchId: `${run}-2`, state: 'failed' });
      expect(await ours()).toEqual([
        { detailType: EVENTS.batchCompleted, detail: published },
        { detailType: EVENTS.batchCompleted, detail: { batchId: `${run}-2`, state: 'failed' } },
        { detailType: EVENTS.batchCompleted, detail: { batchId: `${run}-2`, state: 'failed' } },
      ]);
    });

    test('a put publishes its events in order and answers, by their place, those the bus refused', async () => {
      const put = [
        { detailType: 'invitation.created', detail: { batchId: `${run}-put-1`, n: 1 } },
        { detailType: '', detail: { batchId: `${run}-put-2` } },
        { detailType: 'device.registered', detail: { batchId: `${run}-put-3`, tags: ['a', 'b'] } },
      ];
      const refused = await harness.publisher.putBatch(put);
      expect(refused).toEqual([{ index: 1, reason: expect.stringContaining('DetailType') }]);
      expect(await ours()).toEqual([put[0], put[2]]);
    });

    test('a refused event is an error and is not published', async () => {
      await expect(
        harness.refusing().publish(EVENTS.batchCompleted, { batchId: `${run}-refused`, state: 'completed' }),
      ).rejects.toThrow();
      expect(await ours()).toEqual([]);
    });
  });
}
