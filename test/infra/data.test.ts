import { REGISTRY_TABLE } from '../../lambdas/resources';
import { logicalId, resource, resourceProperties, synthRegistry } from './registry-template';

const { stack, template } = synthRegistry();
const RETAINED = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };
const table = () => resourceProperties(template, logicalId(stack.data.table));
const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('registry table', () => {
  test('has the key schema of REGISTRY_TABLE', () => {
    expect(table().KeySchema).toEqual(keySchema(REGISTRY_TABLE.partitionKey.name, REGISTRY_TABLE.sortKey.name));
  });

  test.each(REGISTRY_TABLE.indexes.map((index) => [index.name, index]))(
    'has the global index %s with its keys, projecting all attributes',
    (_name, index) => {
      expect(table().GlobalSecondaryIndexes).toContainEqual({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey.name, index.sortKey.name),
        Projection: { ProjectionType: 'ALL' },
      });
    },
  );

  test('declares every key attribute with its type', () => {
    const keys = [REGISTRY_TABLE.partitionKey, REGISTRY_TABLE.sortKey].concat(
      REGISTRY_TABLE.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
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

  test(`expires items by the ${REGISTRY_TABLE.ttlAttribute} attribute`, () => {
    expect(table().TimeToLiveSpecification).toEqual({ AttributeName: REGISTRY_TABLE.ttlAttribute, Enabled: true });
  });

  test('is retained when the stack is deleted or the table replaced', () => {
    expect(resource(template, logicalId(stack.data.table))).toMatchObject(RETAINED);
  });

  test('cannot be deleted while deletion protection is on', () => {
    expect(table().DeletionProtectionEnabled).toBe(true);
  });
});

describe('key ring secret', () => {
  const secret = () => resourceProperties(template, logicalId(stack.data.keySecret));

  test('is generated as {"currentKid":"k1","k1":<64 alphanumerics>}', () => {
    expect(secret().GenerateSecretString).toEqual({
      SecretStringTemplate: '{"currentKid":"k1"}',
      GenerateStringKey: 'k1',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  test('is retained when the stack is deleted or the secret replaced', () => {
    expect(resource(template, logicalId(stack.data.keySecret))).toMatchObject(RETAINED);
  });
});
