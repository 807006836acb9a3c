/**
 * Resource definitions shared by the CDK stack and the embedded stack's bootstrap, so both build
 * the same table. Anything that must match between cloud and local lives here.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  indexes: IndexDefinition[];
  ttlAttribute: string;
}

/**
 * Index partitions keyed by a parent or a batch are spread over this many shards
 * (`<parentId>#<shard>`), so a 100k-row batch under one parent never makes one hot partition.
 */
export const INDEX_SHARDS = 8;

export const REGISTRY_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: [
    { name: 'byParent', partitionKey: { name: 'parentShard', type: 'S' }, sortKey: { name: 'id', type: 'S' } },
    { name: 'byBatch', partitionKey: { name: 'batchShard', type: 'S' }, sortKey: { name: 'batchRow', type: 'N' } },
  ],
  ttlAttribute: 'ttl',
};

/** Table name used by the embedded stack (AWS names it at deploy time). */
export const LOCAL_TABLE_NAME = 'prism-registry';

/** Environment variables the functions read (see `lambdas/config.ts`). */
export const ENV = {
  tableName: 'REGISTRY_TABLE',
  keysSecretArn: 'REGISTRY_KEYS_SECRET_ARN',
  keysFile: 'REGISTRY_KEYS_FILE',
  registryApiUrl: 'REGISTRY_API_URL',
} as const;
