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
    /** Batches newest first. Only batch records carry `listKind`, and they change a few times in a batch's life. */
    { name: 'byKind', partitionKey: { name: 'listKind', type: 'S' }, sortKey: { name: 'id', type: 'S' } },
  ],
  ttlAttribute: 'ttl',
};

/** Table name used by the embedded stack (AWS names it at deploy time). */
export const LOCAL_TABLE_NAME = 'prism-registry';

/** The registry bucket's prefixes: API uploads, files dropped by any S3 client, and batch results. */
export const BUCKET_PREFIXES = { uploads: 'uploads/', drop: 'drop/', results: 'results/' } as const;

/** Results hold secrets (tokens, encoded invitations): they expire from the bucket after this many days. */
export const RESULTS_RETENTION_DAYS = 30;

/** Rows per queue message, and messages per SendMessageBatch call (SQS allows 10). */
export const ROWS_PER_MESSAGE = 25;
export const MESSAGES_PER_SEND = 10;

/** The batch worker's timeout. */
export const WORKER_TIMEOUT_SECONDS = 300;

/** AWS's guidance: a queue's visibility timeout is at least six times the timeout of the function it feeds. */
export const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/** Batch inputs (`uploads/`, `drop/`) stay this long in the bucket. */
export const INPUT_RETENTION_DAYS = 30;

/** Dead-letter queues keep messages this long: longer than the row queue, so nothing expires on the way. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/** Retries of a failed asynchronous invocation (the splitter's S3 events), as Lambda makes them. */
export const ASYNC_RETRY_ATTEMPTS = 2;

export const ROW_QUEUE = {
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Messages handed to one worker invocation. */
  batchSize: 5,
  /** Worker invocations at once (the event source's maximum concurrency); CDK context can change it. */
  defaultMaxConcurrency: 5,
  retentionDays: 4,
} as const;

/** Names the embedded stack gives what AWS names at deploy time. */
export const LOCAL_NAMES = {
  bucket: 'prism-registry-local',
  rowQueue: 'prism-registry-rows',
  rowDeadLetterQueue: 'prism-registry-rows-dlq',
  eventBus: 'prism-registry',
} as const;

/** Events the registry publishes to its EventBridge bus. */
export const EVENTS = { source: 'prism.registry', batchCompleted: 'BatchCompleted' } as const;

/** Environment variables the functions read (see `lambdas/config.ts`). */
export const ENV = {
  tableName: 'REGISTRY_TABLE',
  keysSecretArn: 'REGISTRY_KEYS_SECRET_ARN',
  keysFile: 'REGISTRY_KEYS_FILE',
  registryApiUrl: 'REGISTRY_API_URL',
  bucketName: 'REGISTRY_BUCKET',
  rowQueueUrl: 'REGISTRY_ROW_QUEUE_URL',
  eventBusName: 'REGISTRY_EVENT_BUS',
  /** File-level limits of a batch CSV (defaults: 1,000,000 data rows, 256 MiB). */
  batchMaxRows: 'REGISTRY_BATCH_MAX_ROWS',
  batchMaxBytes: 'REGISTRY_BATCH_MAX_BYTES',
} as const;
