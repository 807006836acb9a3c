import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../lambdas/functions';
import { ENV } from '../../lambdas/resources';
import {
  actionsOf,
  appliesTo,
  logicalId,
  resourceProperties,
  statementsOfRole,
  synthRegistry,
  type PolicyStatement,
} from './registry-template';

const { stack, template } = synthRegistry();
const tableId = logicalId(stack.data.table);
const secretId = logicalId(stack.data.keySecret);

const READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
// TransactWriteItems is authorized by these item-level actions.
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const where = (predicate: (definition: FunctionDefinition) => boolean) =>
  all.filter(([, definition]) => predicate(definition));

interface LambdaProperties {
  Runtime: string;
  Architectures: string[];
  MemorySize: number;
  Timeout: number;
  Environment: { Variables: Record<string, unknown> };
  LoggingConfig: { LogGroup: { Ref: string } };
}
const lambda = (name: FunctionName) =>
  resourceProperties(template, logicalId(stack.functions.byName[name])) as unknown as LambdaProperties;
const environment = (name: FunctionName) => lambda(name).Environment.Variables;

const statements = (name: FunctionName): PolicyStatement[] => {
  const role = stack.functions.byName[name].role;
  if (!role) throw new Error(`${name} has no role`);
  return statementsOfRole(template, logicalId(role));
};
/** Actions of `service` (wildcards included) the function is allowed on the resource with logical id `id`. */
const actionsOn = (name: FunctionName, service: string, id: string): string[] =>
  statements(name)
    .filter((statement) => statement.Effect === 'Allow' && appliesTo(statement, id))
    .flatMap(actionsOf)
    .filter((action) => action === '*' || action.startsWith(`${service}:`));
const tableActions = (name: FunctionName) => actionsOn(name, 'dynamodb', tableId);
const keyRingActions = (name: FunctionName) => actionsOn(name, 'secretsmanager', secretId);

describe.each(all)('function %s', (name, definition) => {
  test('runs Node.js 22 on ARM64', () => {
    expect(lambda(name)).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
  });

  test('has the memory and timeout of its definition', () => {
    expect(lambda(name)).toMatchObject({ MemorySize: definition.memoryMb, Timeout: definition.timeoutSeconds });
  });

  test('maps stack traces through its source maps', () => {
    expect(environment(name).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test('keeps its logs one month', () => {
    const logGroup = resourceProperties(template, lambda(name).LoggingConfig.LogGroup.Ref);
    expect(logGroup.RetentionInDays).toBe(30);
  });
});

describe('table access', () => {
  test.each(where((definition) => definition.table !== 'none'))('%s is told the table name', (name) => {
    expect(environment(name)[ENV.tableName]).toEqual({ Ref: tableId });
  });

  test.each(where((definition) => definition.table === 'read'))('%s may only read the table', (name) => {
    const actions = tableActions(name);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actions.filter((action) => !READ_ACTIONS.includes(action))).toEqual([]);
  });

  test.each(where((definition) => definition.table === 'write'))(
    '%s may write items, transactions included',
    (name) => {
      expect(tableActions(name)).toEqual(expect.arrayContaining([...WRITE_ACTIONS, 'dynamodb:ConditionCheckItem']));
    },
  );

  test.each(where((definition) => definition.table === 'none'))('%s cannot touch the table at all', (name) => {
    expect(tableActions(name)).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.tableName);
  });
});

describe('key ring access', () => {
  test.each(where((definition) => definition.keys))('%s may read the key ring and knows where it is', (name) => {
    expect(keyRingActions(name)).toContain('secretsmanager:GetSecretValue');
    expect(environment(name)[ENV.keysSecretArn]).toEqual({ Ref: secretId });
  });

  test.each(where((definition) => !definition.keys))('%s cannot read the key ring', (name) => {
    expect(keyRingActions(name)).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.keysSecretArn);
  });
});
