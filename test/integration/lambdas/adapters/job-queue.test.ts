import { SqsJobQueue } from '../../../../lambdas/adapters/job-queue';
import type { JobMessage } from '../../../../lambdas/domain/job';
import { jobQueueContract } from '../../../support/port-contracts/job-queue';
import { drainQueue, scratchQueue } from '../../../support/scratch-queues';

const bodies = async (url: string) => (await drainQueue(url)).map(({ Body }) => JSON.parse(Body!) as JobMessage);

describe('the SQS job queue against fauxqs', () => {
  jobQueueContract(async () => {
    const [jobs, archiveJobs] = await Promise.all([scratchQueue('jobs'), scratchQueue('archive-jobs')]);
    return {
      queue: new SqsJobQueue({ jobs: () => jobs, archiveJobs: () => archiveJobs }),
      delivered: async () => ({ jobs: await bodies(jobs), archiveJobs: await bodies(archiveJobs) }),
      refusing: () => new SqsJobQueue({ jobs: () => `${jobs}-gone`, archiveJobs: () => `${archiveJobs}-gone` }),
    };
  });
});
