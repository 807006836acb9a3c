import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AUDIT_TABLE,
  ENV,
  LOCAL_AUDIT_TABLE_NAME,
  LOCAL_NAMES,
  LOCAL_TABLE_NAME,
  REGISTRY_TABLE,
  type TableDefinition,
} from '../../../../system/resources';
import { bootstrapLocalResources, bootstrapTable } from '../../../../local/emulators/bootstrap';

// Global setup pointed these at the run's emulators, after bootstrapping them as the embedded stack does.
const endpoints = {
  dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
  fauxqs: process.env.AWS_ENDPOINT_URL_S3!,
  events: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE!,
};
const client = new DynamoDBClient({});

afterAll(() => client.destroy());

const describeTable = async (tableName: string) =>
  (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;

/** DynamoDB lists indexes in no particular order. */
const indexesOf = async (tableName: string) =>
  (await describeTable(tableName))?.GlobalSecondaryIndexes?.map((index) => ({
    name: index.IndexName,
    keys: index.KeySchema?.map((key) => key.AttributeName),
    projection: index.Projection?.ProjectionType,
  }));

const expectedIndexes = (definition: TableDefinition) =>
  definition.indexes.map((index) => ({
    name: index.name,
    keys: [index.partitionKey.name, index.sortKey.name],
    projection: 'ALL',
  }));

describe.each([
  ['REGISTRY_TABLE', REGISTRY_TABLE],
  ['AUDIT_TABLE', AUDIT_TABLE],
])('bootstrapTable with %s', (name, definition) => {
  const tableName = `bootstrap-test-${name}-${Date.now()}`;

  it('creates the table with its keys, on demand, with every index projecting all attributes', async () => {
    await bootstrapTable(endpoints.dynamodb, tableName, definition);
    const table = await describeTable(tableName);
    expect(table?.KeySchema).toEqual([
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = await indexesOf(tableName);
    expect(indexes).toEqual(expect.arrayContaining(expectedIndexes(definition)));
    expect(indexes).toHaveLength(definition.indexes.length);
  });

  it('turns TTL on for the TTL attribute', async () => {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: definition.ttlAttribute });
  });

  it('leaves an existing table and its items alone when run again', async () => {
    const key = { [definition.partitionKey.name]: { S: 'P#1' }, [definition.sortKey.name]: { S: 'S#1' } };
    await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key, name: { S: 'kept' } } }));
    await bootstrapTable(endpoints.dynamodb, tableName, definition);
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
    expect(Item?.name).toEqual({ S: 'kept' });
  });
});

describe('bootstrapLocalResources', () => {
  it('names the registry and audit tables, the buckets, every trigger queue and the event bus', async () => {
    const resources = await bootstrapLocalResources(endpoints);
    expect(resources).toEqual({
      tableName: LOCAL_TABLE_NAME,
      auditTableName: LOCAL_AUDIT_TABLE_NAME,
      bucket: LOCAL_NAMES.bucket,
      auditArchiveBucket: LOCAL_NAMES.auditArchiveBucket,
      queues: {
        rows: expect.objectContaining({ url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.rowQueue}$`)) }),
        rowDeadLetters: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.rowDeadLetterQueue}$`)),
        }),
        jobs: expect.objectContaining({ url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.jobQueue}$`)) }),
        jobDeadLetters: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.jobDeadLetterQueue}$`)),
        }),
        archiveJobs: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.archiveJobQueue}$`)),
        }),
        webhookDeliveries: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.webhookQueue}$`)),
        }),
        webhookDeadLetters: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.webhookDeadLetterQueue}$`)),
        }),
        mailDeliveries: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.mailQueue}$`)),
        }),
        mailDeadLetters: expect.objectContaining({
          url: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.mailDeadLetterQueue}$`)),
        }),
      },
      eventBusName: LOCAL_NAMES.eventBus,
    });
  });

  it('creates the audit table beside the registry table, with its byTarget index and TTL', async () => {
    expect(await indexesOf(LOCAL_AUDIT_TABLE_NAME)).toEqual(expectedIndexes(AUDIT_TABLE));
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: LOCAL_AUDIT_TABLE_NAME }),
    );
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    expect((await describeTable(LOCAL_TABLE_NAME))?.TableStatus).toBe('ACTIVE');
  });

  it.each([LOCAL_NAMES.bucket, LOCAL_NAMES.auditArchiveBucket])('creates the bucket %s', async (bucket) => {
    const s3 = new S3Client({ forcePathStyle: true });
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    s3.destroy();
    expect(head.$metadata.httpStatusCode).toBe(200);
  });

  it('hands the functions the audit table, the audit archive bucket and the job queues through the environment', () => {
    expect(process.env).toMatchObject({
      [ENV.auditTableName]: LOCAL_AUDIT_TABLE_NAME,
      [ENV.auditArchiveBucketName]: LOCAL_NAMES.auditArchiveBucket,
      [ENV.jobQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.jobQueue}$`)),
      [ENV.archiveJobQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.archiveJobQueue}$`)),
    });
  });
});
