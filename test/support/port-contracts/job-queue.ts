import { JOB_KINDS, type JobMessage } from '../../../lambdas/domain/job';
import type { JobQueue } from '../../../lambdas/ports';
import { type JobQueue as QueueName, jobQueueOf } from '../../../system/job-queues';
import { newId } from './fixtures';

export interface JobQueueHarness {
  queue: JobQueue;
  /** The messages each queue delivered since last asked. */
  delivered(): Promise<Record<QueueName, JobMessage[]>>;
  /** A job queue whose next send the service refuses. */
  refusing(): JobQueue;
}

const sortedById = (messages: JobMessage[]) =>
  [...messages].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * The job queue's promises: a job's message reaches the function that runs its kind, body as sent; the same
 * message sent again (a hand-over to the next invocation) is delivered again; a refused send is an error.
 */
export function jobQueueContract(make: () => Promise<JobQueueHarness>): void {
  let harness: JobQueueHarness;
  beforeAll(async () => {
    harness = await make();
  });

  describe('job queue', () => {
    test("each kind's message reaches the queue of the function that runs it: the audit archive its own", async () => {
      const sent = JOB_KINDS.map((kind) => ({ kind, message: { jobId: `${kind}-${newId()}` } }));
      for (const { kind, message } of sent) await harness.queue.send(message, kind);
      const delivered = await harness.delivered();
      const expected = (queue: QueueName) =>
        sortedById(sent.filter(({ kind }) => jobQueueOf(kind) === queue).map(({ message }) => message));
      expect({ jobs: sortedById(delivered.jobs), archiveJobs: sortedById(delivered.archiveJobs) }).toEqual({
        jobs: expected('jobs'),
        archiveJobs: expected('archiveJobs'),
      });
      expect(delivered.archiveJobs).toHaveLength(1);
    });

    test('a scheduled run is delivered as sent, and a message sent again is delivered again: a hand-over is no duplicate', async () => {
      const scheduled: JobMessage = { schedule: 'device-audit', time: '2031-03-04T02:00:00Z' };
      const handedOver: JobMessage = { jobId: `revoke-cascade-${newId()}` };
      await harness.queue.send(scheduled, 'device-audit');
      await harness.queue.send(handedOver, 'revoke-cascade');
      await harness.queue.send(handedOver, 'revoke-cascade');
      const delivered = await harness.delivered();
      expect(sortedById(delivered.jobs)).toEqual(sortedById([scheduled, handedOver, handedOver]));
      expect(delivered.archiveJobs).toEqual([]);
    });

    test('a send the queue refuses is an error, and nothing is delivered', async () => {
      await expect(harness.refusing().send({ jobId: `job-${newId()}` }, 'invitation-export')).rejects.toThrow();
      expect(await harness.delivered()).toEqual({ jobs: [], archiveJobs: [] });
    });
  });
}
