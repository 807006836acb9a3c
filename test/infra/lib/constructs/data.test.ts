import { AUDIT_TABLE, REGISTRY_TABLE, type TableDefinition } from '../../../../system/resources';
import { resource, resourceProperties, sharedRegistry } from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const RETAINED = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe.each<[string, string, TableDefinition]>([
  ['registry table', ids.data.table, REGISTRY_TABLE],
  ['audit table', ids.data.auditTable, AUDIT_TABLE],
])('%s', (_name, id, definition) => {
  const table = () => resourceProperties(template, id);

  test('has the key schema of its definition', () => {
    expect(table().KeySchema).toEqual(keySchema(definition.partitionKey.name, definition.sortKey.name));
  });

  test('has exactly the global indexes of its definition, with their keys, projecting all attributes', () => {
    expect(table().GlobalSecondaryIndexes).toEqual(
      definition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey.name, index.sortKey.name),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  test('declares every key attribute with its type', () => {
    const keys = [definition.partitionKey, definition.sortKey].concat(
      definition.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    );
    for (const key of keys) {
      expect(table().AttributeDefinitions).toContainEqual({ AttributeName: key.name, AttributeType: key.type });
    }
  });

  test('bills on demand', () => {
    expect(table().BillingMode).toBe('PAY_PER_REQUEST');
  });

  test('has point-in-time recovery', () => {
    expect(table().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  test('is encrypted with KMS', () => {
    expect(table().SSESpecification).toMatchObject({ SSEEnabled: true });
  });

  test(`expires items by the ${definition.ttlAttribute} attribute`, () => {
    expect(table().TimeToLiveSpecification).toEqual({ AttributeName: definition.ttlAttribute, Enabled: true });
  });

  test('is retained when the stack is deleted or the table replaced', () => {
    expect(resource(template, id)).toMatchObject(RETAINED);
  });

  test('cannot be deleted while deletion protection is on', () => {
    expect(table().DeletionProtectionEnabled).toBe(true);
  });
});

test('the audit table streams each item as written, for the audit publisher; the registry table streams nothing', () => {
  expect(resourceProperties(template, ids.data.auditTable).StreamSpecification).toEqual({
    StreamViewType: 'NEW_IMAGE',
  });
  expect(resourceProperties(template, ids.data.table)).not.toHaveProperty('StreamSpecification');
});

describe('key ring secret', () => {
  const secret = () => resourceProperties(template, ids.data.keySecret);

  test('is generated as {"currentKid":"k1","k1":<64 alphanumerics>}', () => {
    expect(secret().GenerateSecretString).toEqual({
      SecretStringTemplate: '{"currentKid":"k1"}',
      GenerateStringKey: 'k1',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  test('is retained when the stack is deleted or the secret replaced', () => {
    expect(resource(template, ids.data.keySecret)).toMatchObject(RETAINED);
  });
});
