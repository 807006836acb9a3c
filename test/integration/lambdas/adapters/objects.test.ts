import { CONFIGURED_BUCKETS, S3ObjectStore } from '../../../../lambdas/adapters/objects';
import { objectStoreContract } from '../../../support/port-contracts/object-store';

describe('the S3 object store against the embedded S3', () => {
  objectStoreContract(async () => new S3ObjectStore(CONFIGURED_BUCKETS));
});
