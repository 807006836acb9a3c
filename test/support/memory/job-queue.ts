import type { JobMessage } from '../../../lambdas/domain/job';
import type { JobQueue } from '../../../system/functions';

/** The job queues in memory: records every message sent, for the test to read or hand to the runner. */
export class MemoryJobQueue {
  readonly sent: { message: JobMessage; queue: JobQueue }[] = [];

  async sendJobMessage(message: JobMessage, queue: JobQueue): Promise<void> {
    await Promise.resolve();
    this.sent.push({ message: structuredClone(message), queue });
  }
}
