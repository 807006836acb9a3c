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
const bucketId = logicalId(stack.storage.bucket);
const auditTableId = logicalId(stack.data.auditTable);
const rowQueueId = logicalId(stack.batchPipeline.rowQueue);
const jobQueueId = logicalId(stack.jobs.jobQueue);
const eventBusId = logicalId(stack.batchPipeline.eventBus);

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
/** Actions of `service` (wildcards included) the function is allowed on the resources `id` selects (default all). */
const actionsOn = (name: FunctionName, service: string, id?: string): string[] =>
  statements(name)
    .filter((statement) => statement.Effect === 'Allow' && (id === undefined || appliesTo(statement, id)))
    .flatMap(actionsOf)
    .filter((action) => action === '*' || action.startsWith(`${service}:`));
const tableActions = (name: FunctionName) => actionsOn(name, 'dynamodb', tableId);
const keyRingActions = (name: FunctionName) => actionsOn(name, 'secretsmanager', secretId);
const bucketActions = (name: FunctionName) => actionsOn(name, 's3', bucketId);
const auditTableActions = (name: FunctionName) => actionsOn(name, 'dynamodb', auditTableId);

/** Every IAM statement in the stack: function roles and any other role or resource policy. */
const allStatements = (): PolicyStatement[] =>
  ['AWS::IAM::Policy', 'AWS::IAM::Role'].flatMap((type) =>
    Object.values(template.findResources(type)).flatMap((found) => {
      const properties = found.Properties as {
        PolicyDocument?: { Statement: PolicyStatement[] };
        Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      };
      return [properties.PolicyDocument, ...(properties.Policies ?? []).map((policy) => policy.PolicyDocument)]
        .filter((document) => document !== undefined)
        .flatMap((document) => document.Statement);
    }),
  );
/** Whether an IAM action pattern (`dynamodb:*`, `dynamodb:Update*`, ...) covers `action`. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);

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

describe('bucket access', () => {
  const withBucket = where((definition) => definition.bucket !== undefined);

  test.each(withBucket)('%s is told the bucket name', (name) => {
    expect(environment(name)[ENV.bucketName]).toEqual({ Ref: bucketId });
  });

  test.each(withBucket)('%s may read objects exactly when its definition asks to', (name, definition) => {
    expect(bucketActions(name).includes('s3:GetObject*')).toBe(definition.bucket !== 'write');
  });

  test.each(withBucket)(
    '%s may put objects (and presign uploads) exactly when its definition asks to',
    (name, definition) => {
      expect(bucketActions(name).includes('s3:PutObject')).toBe(definition.bucket !== 'read');
    },
  );

  test.each(withBucket)('%s cannot delete objects', (name) => {
    expect(bucketActions(name).filter((action) => action === '*' || action.startsWith('s3:Delete'))).toEqual([]);
  });

  test.each(where((definition) => definition.bucket === undefined))('%s has no S3 access at all', (name) => {
    expect(actionsOn(name, 's3')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.bucketName);
  });
});

describe('audit log access', () => {
  const EXPECTED: Record<NonNullable<FunctionDefinition['audit']>, string[]> = {
    append: ['dynamodb:PutItem'],
    read: ['dynamodb:Query'],
    appendRead: ['dynamodb:PutItem', 'dynamodb:Query'],
  };
  // Nothing may change or delete an event, whatever API it goes through.
  const FORBIDDEN = [
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PartiQLInsert',
    'dynamodb:PartiQLUpdate',
    'dynamodb:PartiQLDelete',
    'dynamodb:DeleteTable',
    'dynamodb:UpdateTable',
    'dynamodb:UpdateTimeToLive',
  ];
  const withAudit = where((definition) => definition.audit !== undefined);

  test.each(withAudit)('%s is told the audit table name', (name) => {
    expect(environment(name)[ENV.auditTableName]).toEqual({ Ref: auditTableId });
  });

  test.each(withAudit.map(([name, definition]) => [name, definition.audit, EXPECTED[definition.audit!]]))(
    '%s (%s) may do exactly %j on the audit table',
    (name, _access, actions) => {
      expect([...new Set(auditTableActions(name))].sort()).toEqual(actions);
    },
  );

  test.each(where((definition) => definition.audit === 'read' || definition.audit === 'appendRead'))(
    '%s may query the audit table’s indexes (byTarget)',
    (name) => {
      const queries = statements(name).filter(
        (statement) => actionsOf(statement).includes('dynamodb:Query') && appliesTo(statement, auditTableId),
      );
      expect(JSON.stringify(queries)).toContain('/index/*');
    },
  );

  test.each(where((definition) => definition.audit === undefined))('%s cannot touch the audit table', (name) => {
    expect(auditTableActions(name)).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.auditTableName);
  });

  test.each(FORBIDDEN)('no policy in the stack allows %s on the audit table', (action) => {
    const allowing = allStatements().filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        appliesTo(statement, auditTableId) &&
        actionsOf(statement).some((pattern) => covers(pattern, action)),
    );
    expect(allowing).toEqual([]);
  });

  test('the audit function reads the audit log and nothing of the registry table', () => {
    expect(FUNCTIONS.audit).toMatchObject({ table: 'none', audit: 'read' });
    expect(tableActions('audit')).toEqual([]);
    expect(auditTableActions('audit')).toEqual(['dynamodb:Query']);
  });
});

describe.each([
  ['row queue', rowQueueId, ENV.rowQueueUrl, 'sendsRows'],
  ['job queue', jobQueueId, ENV.jobQueueUrl, 'sendsJobs'],
] as const)('%s access', (_queue, queueId, urlVariable, flag) => {
  const queueActions = (name: FunctionName) => actionsOn(name, 'sqs', queueId);

  test.each(where((definition) => definition[flag] === true))('%s may send to it and knows its URL', (name) => {
    expect(queueActions(name)).toContain('sqs:SendMessage');
    expect(environment(name)[urlVariable]).toEqual({ Ref: queueId });
  });

  test.each(where((definition) => !definition[flag]))('%s cannot send to it', (name) => {
    expect(queueActions(name).filter((action) => action === '*' || action === 'sqs:SendMessage')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(urlVariable);
  });
});

describe('event bus access', () => {
  test.each(where((definition) => definition.publishesEvents === true))(
    '%s may put events on the registry bus and knows its name',
    (name) => {
      expect(actionsOn(name, 'events', eventBusId)).toContain('events:PutEvents');
      expect(environment(name)[ENV.eventBusName]).toEqual({ Ref: eventBusId });
    },
  );

  test.each(where((definition) => !definition.publishesEvents))('%s cannot put events on any bus', (name) => {
    expect(actionsOn(name, 'events')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.eventBusName);
  });
});

test.each(all)('%s is given no batch CSV limits and no retention days when no context sets them', (name) => {
  expect(environment(name)).not.toHaveProperty(ENV.batchMaxRows);
  expect(environment(name)).not.toHaveProperty(ENV.batchMaxBytes);
  expect(environment(name)).not.toHaveProperty(ENV.retentionDays);
});
