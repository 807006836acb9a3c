import type { JobKind, JobMessage } from '../../../lambdas/domain/job';
import type { JobQueue } from '../../../lambdas/ports';
import { Refusals } from './refusals';

/**
 * The job queues in memory: records every message sent, for the test to read or hand to the runner; `refuse`
 * makes the next sends fail.
 */
export class MemoryJobQueue implements JobQueue {
  readonly sent: { message: JobMessage; kind: JobKind }[] = [];
  private readonly refusals = new Refusals();

  /** The next `count` sends are refused, as SQS refuses a request. */
  refuse(count = 1): void {
    this.refusals.refuse(count);
  }

  async send(message: JobMessage, kind: JobKind): Promise<void> {
    await Promise.resolve();
    this.refusals.check(() => new Error(`The ${kind} job's queue refused its message: refused by the test`));
    this.sent.push({ message: structuredClone(message), kind });
  }
}
