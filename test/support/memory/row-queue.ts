import type { RowQueueEnvelope, RowQueueMessage } from '../../../lambdas/domain/batch';
import type { RowQueue } from '../../../lambdas/ports';

/** How long a FIFO queue remembers a deduplication id. */
const DEDUPLICATION_MS = 5 * 60 * 1000;

/**
 * The row queue in memory: keeps what is sent, in order, for a test to read or hand to the worker; a message
 * whose deduplication id was sent within the last five minutes (by `now`) is dropped, as a FIFO queue drops it.
 * `take` receives what is waiting.
 */
export class MemoryRowQueue implements RowQueue {
  readonly sent: RowQueueEnvelope[] = [];
  readonly retries: { receipt: string; seconds: number }[] = [];
  /** When each deduplication id was last accepted. */
  private readonly deduplicated = new Map<string, number>();
  private waiting: RowQueueEnvelope[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async send(envelopes: RowQueueEnvelope[]): Promise<void> {
    await Promise.resolve();
    for (const envelope of envelopes) {
      const at = this.now().getTime();
      const previous = this.deduplicated.get(envelope.deduplicationId);
      if (previous !== undefined && at - previous < DEDUPLICATION_MS) continue;
      this.deduplicated.set(envelope.deduplicationId, at);
      this.sent.push(structuredClone(envelope));
      this.waiting.push(structuredClone(envelope));
    }
  }

  async retryLater(receipt: string, seconds: number): Promise<void> {
    await Promise.resolve();
    this.retries.push({ receipt, seconds });
  }

  /** Every message waiting, oldest first, now taken off the queue. */
  take(): RowQueueMessage[] {
    const taken = this.waiting.map(({ message }) => message);
    this.waiting = [];
    return taken;
  }
}
