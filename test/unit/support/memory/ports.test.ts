import { type JobQueue, jobQueueOf } from '../../../../system/job-queues';
import { memoryDeps } from '../../../support/memory/deps';
import { auditLogContract } from '../../../support/port-contracts/audit-log';
import { batchRepositoryContract } from '../../../support/port-contracts/batch-repository';
import { eventPublisherContract } from '../../../support/port-contracts/event-publisher';
import { invitationRepositoryContract } from '../../../support/port-contracts/invitation-repository';
import { jobQueueContract } from '../../../support/port-contracts/job-queue';
import { jobRepositoryContract } from '../../../support/port-contracts/job-repository';
import { objectStoreContract } from '../../../support/port-contracts/object-store';
import { rowQueueContract } from '../../../support/port-contracts/row-queue';
import { webhookRepositoryContract } from '../../../support/port-contracts/webhook-repository';

/** What `list` recorded since the last call. */
function since<T>(list: readonly T[]): () => T[] {
  let read = 0;
  return () => {
    const fresh = list.slice(read);
    read = list.length;
    return fresh;
  };
}

/**
 * The in-memory ports keep the promises the DynamoDB, S3, SQS and EventBridge adapters keep
 * (test/integration/lambdas/adapters).
 */
describe('in-memory ports', () => {
  invitationRepositoryContract(async () => memoryDeps());
  jobRepositoryContract(async () => memoryDeps());
  webhookRepositoryContract(async () => memoryDeps());
  batchRepositoryContract(async () => memoryDeps());
  auditLogContract(async () => memoryDeps().auditLog);
  objectStoreContract(async () => memoryDeps().objects);
  rowQueueContract(async () => {
    const { rows } = memoryDeps();
    const unread = since(rows.sent);
    return {
      queue: rows,
      delivered: async () => unread(),
      refusing: () => {
        rows.refuse();
        return rows;
      },
    };
  });
  jobQueueContract(async () => {
    const { jobQueue } = memoryDeps();
    const unread = since(jobQueue.sent);
    return {
      queue: jobQueue,
      delivered: async () => {
        const sent = unread();
        const on = (queue: JobQueue) =>
          sent.filter(({ kind }) => jobQueueOf(kind) === queue).map(({ message }) => message);
        return { jobs: on('jobs'), archiveJobs: on('archiveJobs') };
      },
      refusing: () => {
        jobQueue.refuse();
        return jobQueue;
      },
    };
  });
  eventPublisherContract(async () => {
    const { events } = memoryDeps();
    const unread = since(events.published);
    return {
      publisher: events,
      published: async () => unread(),
      refusing: () => {
        events.refuse();
        return events;
      },
    };
  });
});
