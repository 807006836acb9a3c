import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
} from '@aws-sdk/client-dynamodb';
import {
  LOCAL_NAMES,
  LOCAL_TABLE_NAME,
  REGISTRY_TABLE,
  type KeyAttribute,
  type TableDefinition,
} from '../lambdas/resources';
import { bootstrapBatchResources, type BatchResources } from './batch-resources';
import type { EmulatorEndpoints } from './environment';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from './local-aws';

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

/** Creates the registry table (as `REGISTRY_TABLE` defines it) with TTL on, unless it exists already. */
export async function bootstrapRegistryTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  try {
    await createTableIfMissing(client, tableName, REGISTRY_TABLE);
    await enableTimeToLive(client, tableName, REGISTRY_TABLE.ttlAttribute);
  } finally {
    client.destroy();
  }
}

/** What the functions are pointed at in the emulators (their AWS counterparts are named at deploy time). */
export interface LocalResources extends BatchResources {
  tableName: string;
  /** Served by `local/event-bus.ts`, which needs nothing created. */
  eventBusName: string;
}

/** Creates the table, bucket and queues the functions use, keeping any that exist with their data. */
export async function bootstrapLocalResources(endpoints: EmulatorEndpoints): Promise<LocalResources> {
  const [, batch] = await Promise.all([
    bootstrapRegistryTable(endpoints.dynamodb, LOCAL_TABLE_NAME),
    bootstrapBatchResources(endpoints.fauxqs),
  ]);
  return { tableName: LOCAL_TABLE_NAME, eventBusName: LOCAL_NAMES.eventBus, ...batch };
}
