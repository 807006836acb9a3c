import { jobRepositoryContract } from '../../../support/port-contracts/job-repository';
import { isolatedDeps } from '../../../support/deps';

describe('the DynamoDB job store against DynamoDB Local', () => {
  jobRepositoryContract(() => isolatedDeps());
});
