import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AUDIT_TABLE,
  LOCAL_AUDIT_TABLE_NAME,
  LOCAL_NAMES,
  LOCAL_TABLE_NAME,
  REGISTRY_TABLE,
  type KeyAttribute,
  type TableDefinition,
} from '../../system/resources';
import type { EmulatorEndpoints } from '../stack/environment';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from './local-aws';
import { bootstrapQueues, type LocalQueues } from './queue-resources';

function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const keys = [table.partitionKey, table.sortKey, ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const byName = new Map<string, KeyAttribute>(keys.map((key) => [key.name, key]));
  return [...byName.values()].map(({ name, type }) => ({ AttributeName: name, AttributeType: type }));
}

const keySchema = (partitionKey: KeyAttribute, sortKey: KeyAttribute) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
  { AttributeName: sortKey.name, KeyType: 'RANGE' as const },
];

async function createTableIfMissing(client: DynamoDBClient, tableName: string, table: TableDefinition) {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table),
        KeySchema: keySchema(table.partitionKey, table.sortKey),
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
        ...(table.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attributeName: string) {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}

/** Turns the table's stream on, for a table created before it had one (a data folder of an earlier version). */
async function enableStream(client: DynamoDBClient, tableName: string, view: NonNullable<TableDefinition['stream']>) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
}

/** Creates the table as `definition` defines it, with TTL and any stream on, unless it exists already. */
export async function bootstrapTable(endpoint: string, tableName: string, definition: TableDefinition): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  try {
    await createTableIfMissing(client, tableName, definition);
    await enableTimeToLive(client, tableName, definition.ttlAttribute);
    if (definition.stream) await enableStream(client, tableName, definition.stream);
  } finally {
    client.destroy();
  }
}

/** The registry table under `tableName` (the embedded stack's, or a benchmark's own). */
export const bootstrapRegistryTable = (endpoint: string, tableName: string): Promise<void> =>
  bootstrapTable(endpoint, tableName, REGISTRY_TABLE);

/**
 * Creates the registry bucket and the audit archive bucket in fauxqs unless they exist. fauxqs keeps no versions
 * and knows no Object Lock: the archive bucket is a plain bucket here.
 */
export async function bootstrapBuckets(
  endpoint: string,
): Promise<Pick<LocalResources, 'bucket' | 'auditArchiveBucket'>> {
  const client = new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: EMULATOR_CREDENTIALS,
    forcePathStyle: true,
  });
  try {
    const buckets = { bucket: LOCAL_NAMES.bucket, auditArchiveBucket: LOCAL_NAMES.auditArchiveBucket };
    for (const name of Object.values(buckets)) await client.send(new CreateBucketCommand({ Bucket: name }));
    return buckets;
  } finally {
    client.destroy();
  }
}

/** What the functions are pointed at in the emulators (their AWS counterparts are named at deploy time). */
export interface LocalResources {
  tableName: string;
  auditTableName: string;
  bucket: string;
  /** The audit archive's bucket, which only the archive job writes. */
  auditArchiveBucket: string;
  queues: LocalQueues;
  /** Served by `local/events/event-bus.ts`, which needs nothing created. */
  eventBusName: string;
}

/** Creates the tables, buckets and queues the functions use, keeping any that exist with their data. */
export async function bootstrapLocalResources(
  endpoints: Pick<EmulatorEndpoints, 'dynamodb' | 'fauxqs'>,
): Promise<LocalResources> {
  const [, , buckets, queues] = await Promise.all([
    bootstrapRegistryTable(endpoints.dynamodb, LOCAL_TABLE_NAME),
    bootstrapTable(endpoints.dynamodb, LOCAL_AUDIT_TABLE_NAME, AUDIT_TABLE),
    bootstrapBuckets(endpoints.fauxqs),
    bootstrapQueues(endpoints.fauxqs),
  ]);
  return {
    tableName: LOCAL_TABLE_NAME,
    auditTableName: LOCAL_AUDIT_TABLE_NAME,
    ...buckets,
    queues,
    eventBusName: LOCAL_NAMES.eventBus,
  };
}
