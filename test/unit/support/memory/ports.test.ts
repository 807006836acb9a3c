import { memoryDeps } from '../../../support/memory/deps';
import { auditLogContract } from '../../../support/port-contracts/audit-log';
import { batchRepositoryContract } from '../../../support/port-contracts/batch-repository';
import { invitationRepositoryContract } from '../../../support/port-contracts/invitation-repository';
import { jobRepositoryContract } from '../../../support/port-contracts/job-repository';
import { objectStoreContract } from '../../../support/port-contracts/object-store';

/** The in-memory ports keep the promises the DynamoDB and S3 adapters keep (test/integration/lambdas/adapters). */
describe('in-memory ports', () => {
  invitationRepositoryContract(async () => memoryDeps());
  jobRepositoryContract(async () => memoryDeps());
  batchRepositoryContract(async () => memoryDeps());
  auditLogContract(async () => memoryDeps().auditLog);
  objectStoreContract(async () => memoryDeps().objects);
});
