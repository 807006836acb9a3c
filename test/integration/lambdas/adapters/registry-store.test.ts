import { invitationRepositoryContract } from '../../../support/port-contracts/invitation-repository';
import { isolatedDeps } from '../../../support/deps';

/** DynamoDB Local takes about 100 ms a transaction. */
jest.setTimeout(30_000);

describe('the DynamoDB registry store against DynamoDB Local', () => {
  invitationRepositoryContract(() => isolatedDeps());
});
