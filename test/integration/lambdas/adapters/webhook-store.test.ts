import { isolatedDeps } from '../../../support/deps';
import { webhookRepositoryContract } from '../../../support/port-contracts/webhook-repository';

describe('the DynamoDB webhook store against DynamoDB Local', () => {
  webhookRepositoryContract(() => isolatedDeps());
});
