import {
  FUNCTIONS,
  TABLE_ACCESS,
  type BucketAccess,
  type FunctionDefinition,
  type FunctionName,
  type JobQueue,
  type TableAccess,
  type TableAccessLevel,
  type TriggerQueue,
} from '../../../../system/functions';
import { ROUTES } from '../../../../lambdas/contract/routes';
import { SERVICE_NAME_VARIABLE } from '../../../../lambdas/metrics';
import {
  AUDIT_ARCHIVE_PREFIXES,
  AUDIT_STREAM,
  BATCH_INPUT_PREFIXES,
  BUCKET_PREFIXES,
  DEAD_LETTER_RETENTION_DAYS,
  ENV,
} from '../../../../system/resources';
import {
  actionsOf,
  appliesTo,
  referencedIds,
  resourceProperties,
  statementsOfRole,
  sharedRegistry,
  type PolicyStatement,
} from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const tableId = ids.data.table;
const secretId = ids.data.keySecret;
const bucketId = ids.storage.bucket;
const auditTableId = ids.data.auditTable;
const rowQueueId = ids.batchPipeline.rowQueue;
const jobQueueId = ids.jobs.jobQueue;
const eventBusId = ids.batchPipeline.eventBus;
const webhookQueueId = ids.webhooks.deliveryQueue;
const mailQueueId = ids.mail.deliveryQueue;
const triggerQueueIds: Record<TriggerQueue, string> = {
  rows: rowQueueId,
  rowDeadLetters: ids.batchPipeline.rowDeadLetterQueue,
  jobs: jobQueueId,
  jobDeadLetters: ids.jobs.jobDeadLetterQueue,
  archiveJobs: ids.jobs.archiveJobQueue,
  webhookDeliveries: ids.webhooks.deliveryQueue,
  mailDeliveries: mailQueueId,
};
const auditArchiveBucketId = ids.storage.auditArchiveBucket;

const AUDIT_ACTIONS: Record<NonNullable<FunctionDefinition['audit']>, string[]> = {
  append: ['dynamodb:PutItem'],
  read: ['dynamodb:Query'],
  appendRead: ['dynamodb:PutItem', 'dynamodb:Query'],
};
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
const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];
/** The audit table's stream, as `resourceText` renders its ARN. */
const auditStreamId = `${auditTableId}.StreamArn`;

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const sendsTo = (definition: FunctionDefinition, queue: JobQueue) => definition.sendsJobs?.includes(queue) === true;
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
const lambdaId = (name: FunctionName) => ids.functions[name].function;
const lambda = (name: FunctionName) => resourceProperties(template, lambdaId(name)) as unknown as LambdaProperties;
const environment = (name: FunctionName) => lambda(name).Environment.Variables;

const roleId = (name: FunctionName): string => {
  const { role } = ids.functions[name];
  if (!role) throw new Error(`${name} has no role`);
  return role;
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
const auditTableActions = (name: FunctionName) => actionsOn(name, 'dynamodb', auditTableId);

/** Actions a function's role may take on resources, each as `resourceText` renders it, under a condition if any. */
interface Allowance {
  actions: readonly string[];
  on: readonly string[];
  condition?: unknown;
}

/** The objects under each prefix, as `resourceText` renders their ARN pattern. */
const objectsUnder = (id: string, prefixes: readonly string[] = []) => prefixes.map((prefix) => `${id}/${prefix}*`);

/** What a function's access to the registry table asks for, as TableAccess defines it. */
function tableAllowances({ actions, indexes, partitions }: TableAccess): Allowance[] {
  const dynamodb = (names: readonly string[]) => names.map((action) => `dynamodb:${action}`);
  const indexActions = actions.filter((action) => action === 'Query' || action === 'Scan');
  return [
    {
      actions: dynamodb(actions),
      on: [tableId],
      ...(partitions && {
        condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions.map((prefix) => `${prefix}*`) } },
      }),
    },
    ...(indexes && indexActions.length > 0 ? [{ actions: dynamodb(indexActions), on: [`${tableId}/index/*`] }] : []),
  ];
}

/** What a function's access to a bucket asks for, as BucketAccess defines it. */
function bucketAllowances(id: string, access: BucketAccess<string> | undefined): Allowance[] {
  if (!access) return [];
  const { read = [], readsVersions, write = [], writesMultipart, findsMissing } = access;
  return [
    ...(read.length > 0
      ? [{ actions: ['s3:GetObject', ...(readsVersions ? ['s3:GetObjectVersion'] : [])], on: objectsUnder(id, read) }]
      : []),
    ...(write.length > 0
      ? [
          {
            actions: ['s3:PutObject', ...(writesMultipart ? ['s3:AbortMultipartUpload'] : [])],
            on: objectsUnder(id, write),
          },
        ]
      : []),
    ...(findsMissing ? [{ actions: ['s3:ListBucket'], on: [id] }] : []),
  ];
}

/**
 * Everything a function's definition asks for, as CDK grants it; with tracing, what every function needs. The stack
 * here sends no mail (no `mailFrom`), so a function that sends mail gets no SES grant: mail.test.ts has the one it
 * gets where a deployment sends mail.
 */
function allowancesOf(name: FunctionName, definition: FunctionDefinition): Allowance[] {
  const {
    table,
    audit,
    keys,
    bucket,
    auditArchive,
    removesInputs,
    sendsRows,
    sendsJobs = [],
    publishesEvents,
    webhookQueue,
    mailQueue,
    trigger,
  } = definition;
  const allowances: Allowance[] = [{ actions: TRACING_ACTIONS, on: ['*'] }];
  if (table !== 'none') allowances.push(...tableAllowances(TABLE_ACCESS[table]));
  if (audit === 'append' || audit === 'appendRead')
    allowances.push({ actions: ['dynamodb:PutItem'], on: [auditTableId] });
  if (audit === 'read' || audit === 'appendRead') {
    allowances.push({ actions: ['dynamodb:Query'], on: [auditTableId, `${auditTableId}/index/*`] });
  }
  if (keys) {
    allowances.push({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], on: [secretId] });
  }
  allowances.push(...bucketAllowances(bucketId, bucket), ...bucketAllowances(auditArchiveBucketId, auditArchive));
  if (removesInputs)
    allowances.push({ actions: INPUT_REMOVAL_ACTIONS, on: objectsUnder(bucketId, BATCH_INPUT_PREFIXES) });
  if (sendsRows) allowances.push({ actions: QUEUE_SEND_ACTIONS, on: [rowQueueId] });
  for (const queue of sendsJobs) allowances.push({ actions: QUEUE_SEND_ACTIONS, on: [triggerQueueIds[queue]] });
  if (publishesEvents) allowances.push({ actions: ['events:PutEvents'], on: [eventBusId] });
  if (webhookQueue === 'send') allowances.push({ actions: QUEUE_SEND_ACTIONS, on: [webhookQueueId] });
  if (mailQueue === 'send') allowances.push({ actions: QUEUE_SEND_ACTIONS, on: [mailQueueId] });
  if (trigger?.kind === 'sqs')
    allowances.push({ actions: QUEUE_CONSUME_ACTIONS, on: [triggerQueueIds[trigger.queue]] });
  if (trigger?.kind === 's3' || trigger?.kind === 'schedule' || trigger?.kind === 'sesEvents') {
    const { deadLetterQueue } = ids.functions[name];
    if (!deadLetterQueue) throw new Error(`${name} has no dead-letter queue`);
    allowances.push({ actions: ['sqs:SendMessage'], on: [deadLetterQueue] });
  }
  if (trigger?.kind === 'auditStream') {
    const { streamFailureQueue } = ids.functions[name];
    if (!streamFailureQueue) throw new Error(`${name} has no stream failure queue`);
    allowances.push({ actions: STREAM_READ_ACTIONS, on: [auditStreamId] });
    allowances.push({ actions: QUEUE_SEND_ACTIONS, on: [streamFailureQueue] });
  }
  return allowances;
}

/**
 * A policy resource as text, its references as logical ids: `Bucket83908E77`, `Bucket83908E77/results/*`,
 * `Table7ABB0C3D/index/*`, `*`; an attribute other than the ARN after its id (`Table7ABB0C3D.StreamArn`).
 */
function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const {
    Ref,
    'Fn::GetAtt': getAtt,
    'Fn::Join': join,
  } = resource as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
  };
  if (Ref !== undefined) return Ref;
  if (getAtt !== undefined) return getAtt[1] === 'Arn' ? getAtt[0] : `${getAtt[0]}.${getAtt[1]}`;
  if (join !== undefined) return join[1].map(resourceText).join(join[0]);
  return JSON.stringify(resource);
}

/** One action allowed on one resource under one condition, as text: `s3:GetObject on Bucket/results/* if …`. */
const grantText = (action: string, on: string, condition?: unknown) =>
  `${action} on ${on}${condition === undefined ? '' : ` if ${JSON.stringify(condition)}`}`;

/** Every action a statement allows, on every resource it names. */
const grantedTexts = (statement: PolicyStatement): string[] =>
  actionsOf(statement).flatMap((action) =>
    [statement.Resource].flat().map((resource) => grantText(action, resourceText(resource), statement.Condition)),
  );

/** What a function's role allows, each action on each resource once. */
const grantsOf = (name: FunctionName): string[] =>
  [
    ...new Set(
      statements(name)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap(grantedTexts),
    ),
  ].sort();

const expectedGrants = (name: FunctionName, definition: FunctionDefinition): string[] =>
  [
    ...new Set(
      allowancesOf(name, definition).flatMap(({ actions, on, condition }) =>
        actions.flatMap((action) => on.map((resource) => grantText(action, resource, condition))),
      ),
    ),
  ].sort();

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

  test('loads no source map at start unless the deployment asks for them', () => {
    expect(environment(name)).not.toHaveProperty('NODE_OPTIONS');
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
    expect(environment(name)[SERVICE_NAME_VARIABLE]).toBe(ids.stackName);
  });
});

describe('least privilege', () => {
  test.each(all)(
    '%s may do exactly what its definition asks for, on exactly the resources it names',
    (name, definition) => {
      expect(grantsOf(name)).toEqual(expectedGrants(name, definition));
    },
  );

  test.each(all)('%s has no managed policy but Lambda’s basic execution role (its logs)', (name) => {
    expect(resourceProperties(template, roleId(name)).ManagedPolicyArns).toEqual([BASIC_EXECUTION_ROLE]);
  });
});

describe('table access', () => {
  /** The table's resources on which the function may take `action`, with any condition, as grant texts. */
  const tableGrants = (name: FunctionName) => grantsOf(name).filter((grant) => grant.includes(` on ${tableId}`));
  const recipientFunctions = [
    ...new Set(ROUTES.filter((route) => route.principal === 'recipient').map((route) => route.function)),
  ];
  const TOKEN_HOLDER_ITEMS = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TOKEN#*', 'INV#*'] } };

  test.each(where((definition) => definition.table !== 'none'))('%s is told the table name', (name) => {
    expect(environment(name)[ENV.tableName]).toEqual({ Ref: tableId });
  });

  test.each(where((definition) => definition.table !== 'none'))(
    '%s may take exactly the item actions of its access level, on the items it names',
    (name, definition) => {
      const expected = tableAllowances(TABLE_ACCESS[definition.table as TableAccessLevel]).flatMap(
        ({ actions, on, condition }) =>
          actions.flatMap((action) => on.map((resource) => grantText(action, resource, condition))),
      );
      expect(tableGrants(name)).toEqual(expected.sort());
    },
  );

  test('the recipient routes are served by accept and registry', () => {
    expect(recipientFunctions.sort()).toEqual(['accept', 'registry']);
  });

  test.each([
    ['accept', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'UpdateItem']],
    ['registry', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']],
    ['authorizer', ['GetItem']],
  ] as const)('%s takes only %j, on token lookup items and invitation partitions', (name, actions) => {
    expect(tableGrants(name)).toEqual(
      actions.map((action) => grantText(`dynamodb:${action}`, tableId, TOKEN_HOLDER_ITEMS)),
    );
  });

  test.each(recipientFunctions)(
    '%s may not scan, delete, batch-write or touch an index or the table itself',
    (name) => {
      const forbidden = [
        'dynamodb:Scan',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:PartiQLSelect',
        'dynamodb:PartiQLInsert',
        'dynamodb:PartiQLUpdate',
        'dynamodb:PartiQLDelete',
        'dynamodb:DescribeTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:UpdateTimeToLive',
      ];
      const allowing = statements(name)
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap(grantedTexts)
        .filter((grant) => forbidden.some((action) => covers(grant.split(' ')[0]!, action)));
      expect(allowing).toEqual([]);
      expect(tableGrants(name).filter((grant) => grant.includes('/index/'))).toEqual([]);
    },
  );

  test.each(Object.entries(TABLE_ACCESS).filter(([, access]) => access.partitions !== undefined))(
    'the %s level, held to partitions, reads nothing without a key (no scan) and no index',
    (_level, access) => {
      expect(access.actions).not.toContain('Scan');
      expect(access.indexes).toBeUndefined();
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
  /** The registry bucket's resources on which the function may take `action`, as `resourceText` renders them. */
  const bucketResources = (name: FunctionName, action: string) =>
    grantsOf(name)
      .filter((grant) => grant.startsWith(`${action} on ${bucketId}`))
      .map((grant) => grant.slice(`${action} on `.length))
      .sort();
  const mayWriteUnder = (prefix: string) =>
    all
      .filter(([name]) => bucketResources(name, 's3:PutObject').includes(`${bucketId}/${prefix}*`))
      .map(([name]) => name);

  test.each(withBucket)('%s is told the bucket name', (name) => {
    expect(environment(name)[ENV.bucketName]).toEqual({ Ref: bucketId });
  });

  test.each(withBucket)('%s may read the objects under exactly the prefixes it reads', (name, definition) => {
    expect(bucketResources(name, 's3:GetObject')).toEqual(objectsUnder(bucketId, definition.bucket!.read).sort());
  });

  test.each(withBucket)(
    '%s may put objects (and presign uploads) under exactly the prefixes it writes',
    (name, definition) => {
      expect(bucketResources(name, 's3:PutObject')).toEqual(objectsUnder(bucketId, definition.bucket!.write).sort());
    },
  );

  test.each(withBucket)(
    '%s may take no bucket-wide action but the listing its definition asks for',
    (name, definition) => {
      expect(grantsOf(name).filter((grant) => grant.includes(` on ${bucketId}/*`))).toEqual([]);
      expect(grantsOf(name).includes(grantText('s3:ListBucket', bucketId))).toBe(
        definition.bucket!.findsMissing === true,
      );
    },
  );

  test('the delegate function reads only results and writes only uploads', () => {
    expect(bucketResources('delegate', 's3:GetObject')).toEqual([`${bucketId}/${BUCKET_PREFIXES.results}*`]);
    expect(bucketResources('delegate', 's3:PutObject')).toEqual([`${bucketId}/${BUCKET_PREFIXES.uploads}*`]);
  });

  test('only the batch worker writes results, and no function writes under drop/ (any S3 client does)', () => {
    expect(mayWriteUnder(BUCKET_PREFIXES.results)).toEqual(['batchWorker']);
    expect(mayWriteUnder(BUCKET_PREFIXES.drop)).toEqual([]);
  });

  test('only the functions that split files may list the bucket, to tell a missing file', () => {
    const listing = all
      .filter(([name]) => grantsOf(name).some((grant) => grant.startsWith('s3:List')))
      .map(([name]) => name);
    expect(listing.sort()).toEqual(['batchSplitter', 'batchWatchdog']);
  });

  test.each(where((definition) => definition.removesInputs === true))(
    '%s may delete batch inputs, any version of them, and no other object',
    (name) => {
      const deleting = grantsOf(name).filter((grant) => grant.startsWith('s3:Delete'));
      const expected = INPUT_REMOVAL_ACTIONS.flatMap((action) =>
        objectsUnder(bucketId, BATCH_INPUT_PREFIXES).map((on) => grantText(action, on)),
      );
      expect(deleting).toEqual(expected.sort());
    },
  );

  test.each(withBucket.filter(([, definition]) => !definition.removesInputs))('%s cannot delete objects', (name) => {
    expect(actionsOn(name, 's3').filter((action) => action === '*' || action.startsWith('s3:Delete'))).toEqual([]);
  });

  test.each(where((definition) => definition.bucket === undefined))('%s has no access to the bucket', (name) => {
    expect(grantsOf(name).filter((grant) => grant.includes(` on ${bucketId}`))).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.bucketName);
  });

  test.each(where((definition) => definition.bucket === undefined && definition.auditArchive === undefined))(
    '%s has no S3 access at all',
    (name) => {
      expect(actionsOn(name, 's3')).toEqual([]);
    },
  );
});

describe('audit archive bucket access', () => {
  const withArchive = where((definition) => definition.auditArchive !== undefined);
  /** Every statement of the stack allowing an action on the audit archive bucket or its objects. */
  const onArchive = allStatements().filter(
    (statement) => statement.Effect === 'Allow' && referencedIds(statement.Resource).includes(auditArchiveBucketId),
  );
  const readOnly = (action: string) => /^s3:(Get|List)[A-Za-z]*$/.test(action);

  test.each(withArchive)('%s is told the audit archive bucket name', (name) => {
    expect(environment(name)[ENV.auditArchiveBucketName]).toEqual({ Ref: auditArchiveBucketId });
  });

  test('only the audit archiver may write it, under audit-log/, and no statement anywhere in the stack lets another', () => {
    const writers = onArchive.filter((statement) => !actionsOf(statement).every(readOnly));
    expect(writers).toHaveLength(1);
    const [writer] = writers;
    expect(statementsOfRole(template, roleId('auditArchiver'))).toContainEqual(writer);
    expect(grantedTexts(writer!).sort()).toEqual([
      grantText('s3:AbortMultipartUpload', `${auditArchiveBucketId}/${AUDIT_ARCHIVE_PREFIXES.auditLog}*`),
      grantText('s3:PutObject', `${auditArchiveBucketId}/${AUDIT_ARCHIVE_PREFIXES.auditLog}*`),
    ]);
  });

  test('the jobs function may read the archive, to hand out its download link, and nothing else of it', () => {
    expect(grantsOf('jobs').filter((grant) => grant.includes(auditArchiveBucketId))).toEqual([
      grantText('s3:GetObject', `${auditArchiveBucketId}/${AUDIT_ARCHIVE_PREFIXES.auditLog}*`),
    ]);
  });

  test('no function may delete from it, change an object lock on it or bypass one', () => {
    const forbidden = onArchive
      .flatMap(actionsOf)
      .filter(
        (action) =>
          /^s3:(Delete|PutObjectRetention|PutObjectLegalHold|BypassGovernanceRetention|\*)/.test(action) ||
          action === '*',
      );
    expect(forbidden).toEqual([]);
  });

  test('the job runner may not touch it', () => {
    expect(grantsOf('jobRunner').filter((grant) => grant.includes(auditArchiveBucketId))).toEqual([]);
    expect(environment('jobRunner')).not.toHaveProperty(ENV.auditArchiveBucketName);
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

  test.each(where((definition) => definition.audit === undefined && definition.trigger?.kind !== 'auditStream'))(
    '%s cannot touch the audit table',
    (name) => {
      expect(auditTableActions(name)).toEqual([]);
      expect(environment(name)).not.toHaveProperty(ENV.auditTableName);
    },
  );

  test.each(where((definition) => definition.trigger?.kind === 'auditStream'))(
    '%s, fed by the audit stream, may read that stream alone: no item, no index, not the table’s name',
    (name) => {
      expect(grantsOf(name).filter((grant) => grant.includes(auditTableId))).toEqual(
        STREAM_READ_ACTIONS.map((action) => grantText(action, auditStreamId)),
      );
      expect(environment(name)).not.toHaveProperty(ENV.auditTableName);
    },
  );

  test('the audit stream is read by the audit publisher and the event dispatcher alone', () => {
    const readers = all.filter(([name]) => grantsOf(name).some((grant) => grant.includes(auditStreamId)));
    expect(readers.map(([name]) => name).sort()).toEqual(['auditPublisher', 'eventDispatcher']);
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
  ['row queue', rowQueueId, ENV.rowQueueUrl, (definition: FunctionDefinition) => definition.sendsRows === true],
  ['job queue', jobQueueId, ENV.jobQueueUrl, (definition: FunctionDefinition) => sendsTo(definition, 'jobs')],
  [
    'archive job queue',
    triggerQueueIds.archiveJobs,
    ENV.archiveJobQueueUrl,
    (definition: FunctionDefinition) => sendsTo(definition, 'archiveJobs'),
  ],
] as const)('%s access', (_queue, queueId, urlVariable, sends) => {
  const queueActions = (name: FunctionName) => actionsOn(name, 'sqs', queueId);

  test.each(where(sends))('%s may send to it and knows its URL', (name) => {
    expect(queueActions(name)).toContain('sqs:SendMessage');
    expect(environment(name)[urlVariable]).toEqual({ Ref: queueId });
  });

  test.each(where((definition) => !sends(definition)))('%s cannot send to it', (name) => {
    expect(queueActions(name).filter((action) => action === '*' || action === 'sqs:SendMessage')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(urlVariable);
  });
});

describe('the webhook delivery queue', () => {
  const queueActions = (name: FunctionName) => actionsOn(name, 'sqs', webhookQueueId);
  const sends = (definition: FunctionDefinition) => definition.webhookQueue === 'send';

  test('the webhooks function and the dispatcher alone may send to it, and know its URL', () => {
    expect(where(sends).map(([name]) => name)).toEqual(['webhooks', 'eventDispatcher']);
    for (const [name] of where(sends)) {
      expect(queueActions(name)).toContain('sqs:SendMessage');
      expect(environment(name)[ENV.webhookQueueUrl]).toEqual({ Ref: webhookQueueId });
    }
  });

  test('the sender consumes it and may put a failed delivery off (ChangeMessageVisibility), but never send', () => {
    expect(queueActions('webhookSender')).toContain('sqs:ChangeMessageVisibility');
    expect(queueActions('webhookSender')).not.toContain('sqs:SendMessage');
    expect(environment('webhookSender')[ENV.webhookQueueUrl]).toEqual({ Ref: webhookQueueId });
  });

  test.each(where((definition) => definition.webhookQueue === undefined))('%s cannot send to it', (name) => {
    expect(queueActions(name).filter((action) => action === '*' || action === 'sqs:SendMessage')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.webhookQueueUrl);
  });
});

describe('the mail queue', () => {
  const queueActions = (name: FunctionName) => actionsOn(name, 'sqs', mailQueueId);
  const sends = (definition: FunctionDefinition) => definition.mailQueue === 'send';

  test('the event dispatcher alone may send to it (e-mails are asked for by audit events), and knows its URL', () => {
    expect(where(sends).map(([name]) => name)).toEqual(['eventDispatcher']);
    for (const [name] of where(sends)) {
      expect(queueActions(name)).toContain('sqs:SendMessage');
      expect(environment(name)[ENV.mailQueueUrl]).toEqual({ Ref: mailQueueId });
    }
  });

  test('the mailer consumes it and may put a failed e-mail off (ChangeMessageVisibility), but never send', () => {
    expect(queueActions('mailer')).toContain('sqs:ChangeMessageVisibility');
    expect(queueActions('mailer')).not.toContain('sqs:SendMessage');
    expect(environment('mailer')[ENV.mailQueueUrl]).toEqual({ Ref: mailQueueId });
  });

  test.each(where((definition) => definition.mailQueue === undefined))('%s cannot send to it', (name) => {
    expect(queueActions(name).filter((action) => action === '*' || action === 'sqs:SendMessage')).toEqual([]);
    expect(environment(name)).not.toHaveProperty(ENV.mailQueueUrl);
  });
});

describe('mail templates', () => {
  test.each(where((definition) => definition.sendsMail === true))(
    '%s is told they are in its bundle, under the task root',
    (name) => {
      expect(environment(name)[ENV.mailTemplates]).toBe('/var/task/templates');
    },
  );

  test.each(where((definition) => !definition.sendsMail))('%s is told of none', (name) => {
    expect(environment(name)).not.toHaveProperty(ENV.mailTemplates);
  });
});

test('a run of the audit archive on demand is sent to its own queue by the jobs function alone', () => {
  expect(where((definition) => sendsTo(definition, 'archiveJobs')).map(([name]) => name)).toEqual(['jobs']);
});

describe.each(where((definition) => definition.trigger?.kind === 'auditStream'))(
  '%s, fed by the audit stream',
  (name) => {
    const mapping = () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
        .map((found) => found.Properties as Record<string, unknown>)
        .filter((properties) => JSON.stringify(properties.FunctionName) === JSON.stringify({ Ref: lambdaId(name) }));
      expect(mappings).toHaveLength(1);
      return mappings[0] ?? {};
    };
    const failureQueueId = () => ids.functions[name].streamFailureQueue!;

    test('reads the new events of the audit table’s stream, from the oldest record it holds', () => {
      expect(mapping()).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [auditTableId, 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      });
    });

    test('takes AUDIT_STREAM’s batch size within its batching window, failed records reported one by one', () => {
      expect(mapping()).toMatchObject({
        BatchSize: AUDIT_STREAM.batchSize,
        MaximumBatchingWindowInSeconds: AUDIT_STREAM.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    test('retries a failing batch in halves a bounded number of times, then describes it in its failure queue', () => {
      expect(mapping()).toMatchObject({
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: AUDIT_STREAM.retryAttempts,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failureQueueId(), 'Arn'] } } },
      });
    });

    test('keeps what fails in an encrypted queue, as long as SQS allows', () => {
      expect(resourceProperties(template, failureQueueId())).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_DAYS * 24 * 60 * 60,
      });
    });
  },
);

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

test.each(all)(
  '%s is given no batch CSV limits, retention days or lastSeenAt interval when no context sets them',
  (name) => {
    expect(environment(name)).not.toHaveProperty(ENV.batchMaxRows);
    expect(environment(name)).not.toHaveProperty(ENV.batchMaxBytes);
    expect(environment(name)).not.toHaveProperty(ENV.retentionDays);
    expect(environment(name)).not.toHaveProperty(ENV.lastSeenIntervalSeconds);
  },
);
