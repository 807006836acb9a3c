import { FUNCTIONS, type FunctionDefinition, type FunctionName, type TriggerQueue } from '../../lambdas/functions';
import { SERVICE_NAME_VARIABLE } from '../../lambdas/metrics';
import { BATCH_INPUT_PREFIXES, ENV } from '../../lambdas/resources';
import {
  actionsOf,
  appliesTo,
  logicalId,
  referencedIds,
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
const triggerQueueIds: Record<TriggerQueue, string> = {
  rows: rowQueueId,
  rowDeadLetters: logicalId(stack.batchPipeline.rowDeadLetterQueue),
  jobs: jobQueueId,
  jobDeadLetters: logicalId(stack.jobs.jobDeadLetterQueue),
};

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
const AUDIT_ACTIONS: Record<NonNullable<FunctionDefinition['audit']>, string[]> = {
  append: ['dynamodb:PutItem'],
  read: ['dynamodb:Query'],
  appendRead: ['dynamodb:PutItem', 'dynamodb:Query'],
};
const BUCKET_READ_ACTIONS = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];
const BUCKET_PUT_ACTIONS = [
  's3:PutObject',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
  's3:Abort*',
];
const INPUT_REMOVAL_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];
const QUEUE_SEND_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
const QUEUE_CONSUME_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
];
const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const where = (predicate: (definition: FunctionDefinition) => boolean) =>
  all.filter(([, definition]) => predicate(definition));

interface LambdaProperties {
  Runtime: string;
  Architectures: string[];
  MemorySize: number;
  Timeout: number;
  TracingConfig: { Mode: string };
  Environment: { Variables: Record<string, unknown> };
  LoggingConfig: { LogGroup: { Ref: string } };
}
const lambda = (name: FunctionName) =>
  resourceProperties(template, logicalId(stack.functions.byName[name])) as unknown as LambdaProperties;
const environment = (name: FunctionName) => lambda(name).Environment.Variables;

const roleId = (name: FunctionName): string => {
  const role = stack.functions.byName[name].role;
  if (!role) throw new Error(`${name} has no role`);
  return logicalId(role);
};
const statements = (name: FunctionName): PolicyStatement[] => statementsOfRole(template, roleId(name));
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

/** Actions a function's role may take on one resource: a logical id, or `*` for any. */
interface Allowance {
  actions: readonly string[];
  on: string;
}

/** Everything a function's definition asks for, as CDK grants it; with tracing, what every function needs. */
function allowancesOf(name: FunctionName, definition: FunctionDefinition): Allowance[] {
  const { table, audit, keys, bucket, removesInputs, sendsRows, sendsJobs, publishesEvents, trigger } = definition;
  const allowances: Allowance[] = [{ actions: TRACING_ACTIONS, on: '*' }];
  if (table !== 'none') {
    allowances.push({ actions: table === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS], on: tableId });
  }
  if (audit) allowances.push({ actions: AUDIT_ACTIONS[audit], on: auditTableId });
  if (keys) {
    allowances.push({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], on: secretId });
  }
  if (bucket && bucket !== 'write') allowances.push({ actions: BUCKET_READ_ACTIONS, on: bucketId });
  if (bucket && bucket !== 'read') allowances.push({ actions: BUCKET_PUT_ACTIONS, on: bucketId });
  if (removesInputs) allowances.push({ actions: INPUT_REMOVAL_ACTIONS, on: bucketId });
  if (sendsRows) allowances.push({ actions: QUEUE_SEND_ACTIONS, on: rowQueueId });
  if (sendsJobs) allowances.push({ actions: QUEUE_SEND_ACTIONS, on: jobQueueId });
  if (publishesEvents) allowances.push({ actions: ['events:PutEvents'], on: eventBusId });
  if (trigger?.kind === 'sqs') allowances.push({ actions: QUEUE_CONSUME_ACTIONS, on: triggerQueueIds[trigger.queue] });
  if (trigger?.kind === 's3' || trigger?.kind === 'schedule') {
    const deadLetterQueue = stack.functions.byName[name].deadLetterQueue;
    if (!deadLetterQueue) throw new Error(`${name} has no dead-letter queue`);
    allowances.push({ actions: ['sqs:SendMessage'], on: logicalId(deadLetterQueue) });
  }
  return allowances;
}

/** Each action of a statement paired with each resource it names (a logical id, `*`, or the literal value). */
const grantedPairs = (statement: PolicyStatement): [action: string, on: string][] => {
  const resources = [statement.Resource].flat().flatMap((resource) => {
    if (resource === '*') return ['*'];
    const ids = referencedIds(resource);
    return ids.length > 0 ? ids : [JSON.stringify(resource)];
  });
  return actionsOf(statement).flatMap((action) => resources.map((on): [string, string] => [action, on]));
};

const BASIC_EXECUTION_ROLE = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']],
};

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

  test('is traced by X-Ray', () => {
    expect(lambda(name).TracingConfig).toEqual({ Mode: 'Active' });
    expect(actionsOn(name, 'xray')).toEqual(expect.arrayContaining(TRACING_ACTIONS));
  });

  test('gives its metrics the stack name as their service', () => {
    expect(environment(name)[SERVICE_NAME_VARIABLE]).toBe(stack.stackName);
  });
});

describe('least privilege', () => {
  test.each(all)('%s may do nothing beyond what its definition asks for', (name, definition) => {
    const allowances = allowancesOf(name, definition);
    const beyond = statements(name)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(grantedPairs)
      .filter(
        ([action, on]) => !allowances.some((allowance) => allowance.on === on && allowance.actions.includes(action)),
      )
      .map(([action, on]) => `${action} on ${on}`);
    expect(beyond).toEqual([]);
  });

  test.each(all)('%s has no managed policy but Lambda’s basic execution role (its logs)', (name) => {
    expect(resourceProperties(template, roleId(name)).ManagedPolicyArns).toEqual([BASIC_EXECUTION_ROLE]);
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

  const deletes = (statement: PolicyStatement) =>
    actionsOf(statement).some((action) => action === '*' || action.startsWith('s3:Delete'));

  test.each(where((definition) => definition.removesInputs === true))(
    '%s may delete batch inputs, any version of them, and no other object',
    (name) => {
      const inputs = BATCH_INPUT_PREFIXES.map((prefix) => ({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]],
      }));
      const deleting = statements(name).filter((statement) => statement.Effect === 'Allow' && deletes(statement));
      expect(deleting).toEqual([
        { Effect: 'Allow', Action: INPUT_REMOVAL_ACTIONS, Resource: expect.arrayContaining(inputs) },
      ]);
      expect(deleting[0]!.Resource).toHaveLength(inputs.length);
    },
  );

  test.each(withBucket.filter(([, definition]) => !definition.removesInputs))('%s cannot delete objects', (name) => {
    expect(bucketActions(name).filter((action) => action === '*' || action.startsWith('s3:Delete'))).toEqual([]);
  });

  test.each(where((definition) => definition.bucket === undefined))('%s has no S3 access at all', (name) => {
    expect(actionsOn(name, 's3')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.bucketName);
  });
});

describe('audit log access', () => {
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

  test.each(withAudit.map(([name, definition]) => [name, definition.audit, AUDIT_ACTIONS[definition.audit!]]))(
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
