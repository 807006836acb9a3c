import type { RowQueueEnvelope, RowQueueMessage } from '../../../lambdas/domain/batch';
import type { RowQueue } from '../../../lambdas/ports';
import { Refusals } from './refusals';

/** How long a FIFO queue remembers a deduplication id. */
const DEDUPLICATION_MS = 5 * 60 * 1000;

/**
 * The row queue in memory: keeps what is sent, in order, for a test to read or hand to the worker; a message
 * whose deduplication id was sent within the last five minutes (by `now`) is dropped, as a FIFO queue drops it.
 * `take` receives what is waiting; `refuse` makes the next sends fail whole.
 */
export class MemoryRowQueue implements RowQueue {
  readonly sent: RowQueueEnvelope[] = [];
  readonly retries: { receipt: string; seconds: number }[] = [];
  /** When each deduplication id was last accepted. */
  private readonly deduplicated = new Map<string, number>();
  private waiting: RowQueueEnvelope[] = [];
  private readonly refusals = new Refusals();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** The next `count` sends are refused, none of their messages sent, as SQS refuses a request. */
  refuse(count = 1): void {
    this.refusals.refuse(count);
  }

  async send(envelopes: RowQueueEnvelope[]): Promise<void> {
    await Promise.resolve();
    this.refusals.check(() => new Error(`The row queue refused ${envelopes.length} message(s): refused by the test`));
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
