import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { REGISTRY_TABLE } from '../../lambdas/resources';
import { bootstrapRegistryTable } from '../../local/bootstrap';

const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB!;
const client = new DynamoDBClient({});
const tableName = `bootstrap-test-${Date.now()}`;

afterAll(() => client.destroy());

describe('bootstrapRegistryTable', () => {
  it('creates the table as REGISTRY_TABLE defines it, on demand, with every index projecting all attributes', async () => {
    await bootstrapRegistryTable(endpoint, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: REGISTRY_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: REGISTRY_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    // DynamoDB lists indexes in no particular order.
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema?.map((key) => key.AttributeName),
        projection: index.Projection?.ProjectionType,
      })),
    ).toEqual(
      expect.arrayContaining(
        REGISTRY_TABLE.indexes.map((index) => ({
          name: index.name,
          keys: [index.partitionKey.name, index.sortKey.name],
          projection: 'ALL',
        })),
      ),
    );
    expect(Table?.GlobalSecondaryIndexes).toHaveLength(REGISTRY_TABLE.indexes.length);
  });

  it('turns TTL on for the TTL attribute', async () => {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: REGISTRY_TABLE.ttlAttribute,
    });
  });

  it('leaves an existing table and its items alone when run again', async () => {
    const key = { pk: { S: 'INV#1' }, sk: { S: 'META' } };
    await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key, name: { S: 'kept' } } }));
    await bootstrapRegistryTable(endpoint, tableName);
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
    expect(Item?.name).toEqual({ S: 'kept' });
  });
});
