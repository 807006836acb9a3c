import type { JobKind, JobMessage } from '../../../lambdas/domain/job';
import type { JobQueue } from '../../../lambdas/ports';

/** The job queues in memory: records every message sent, for the test to read or hand to the runner. */
export class MemoryJobQueue implements JobQueue {
  readonly sent: { message: JobMessage; kind: JobKind }[] = [];

  async send(message: JobMessage, kind: JobKind): Promise<void> {
    await Promise.resolve();
    this.sent.push({ message: structuredClone(message), kind });
  }
}
