import {
  FUNCTIONS,
  queueSettings,
  type FunctionDefinition,
  type FunctionName,
  type TriggerQueue,
} from '../../../../system/functions';
import {
  EVENTS,
  JOB_QUEUE,
  MAIL_QUEUE,
  ROW_QUEUE,
  SCHEDULE_RETRY_ATTEMPTS,
  WEBHOOK_QUEUE,
} from '../../../../system/resources';
import { resourceProperties, sharedRegistry, type PolicyStatement } from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const { batchPipeline, jobs } = ids;
const rowQueueId = batchPipeline.rowQueue;
const deadLetterQueueId = batchPipeline.rowDeadLetterQueue;
const queueIds: Record<TriggerQueue, string> = {
  rows: rowQueueId,
  rowDeadLetters: deadLetterQueueId,
  jobs: jobs.jobQueue,
  jobDeadLetters: jobs.jobDeadLetterQueue,
  archiveJobs: jobs.archiveJobQueue,
  webhookDeliveries: ids.webhooks.deliveryQueue,
  mailDeliveries: ids.mail.deliveryQueue,
};
/** Row queue consumers follow the batchConcurrency context value; job queue consumers keep JOB_QUEUE's. */
const maxConcurrency: Record<TriggerQueue, number> = {
  rows: ROW_QUEUE.defaultMaxConcurrency,
  rowDeadLetters: ROW_QUEUE.defaultMaxConcurrency,
  jobs: JOB_QUEUE.defaultMaxConcurrency,
  jobDeadLetters: JOB_QUEUE.defaultMaxConcurrency,
  archiveJobs: JOB_QUEUE.defaultMaxConcurrency,
  webhookDeliveries: WEBHOOK_QUEUE.defaultMaxConcurrency,
  mailDeliveries: MAIL_QUEUE.defaultMaxConcurrency,
};

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const queueTriggered = all.flatMap(([name, { trigger }]): [FunctionName, TriggerQueue][] =>
  trigger?.kind === 'sqs' ? [[name, trigger.queue]] : [],
);
const scheduleTriggered = all.flatMap(([name, { trigger }]): [FunctionName, number][] =>
  trigger?.kind === 'schedule' ? [[name, trigger.everyMinutes]] : [],
);
const bucketTriggered = all.flatMap(([name, { trigger }]) => (trigger?.kind === 's3' ? [name] : []));
const bucketPrefixTriggers = all.flatMap(([name, { trigger }]): [string, FunctionName][] =>
  trigger?.kind === 's3' ? trigger.prefixes.map((prefix) => [prefix, name]) : [],
);

const functionId = (name: FunctionName) => ids.functions[name].function;
const functionDeadLetterQueueId = (name: FunctionName) => {
  const { deadLetterQueue } = ids.functions[name];
  if (!deadLetterQueue) throw new Error(`${name} has no dead-letter queue`);
  return deadLetterQueue;
};
const queue = (id: string) =>
  resourceProperties(template, id) as {
    VisibilityTimeout?: number;
    MessageRetentionPeriod?: number;
    SqsManagedSseEnabled?: boolean;
    RedrivePolicy?: unknown;
    FifoQueue?: boolean;
    DeduplicationScope?: string;
    FifoThroughputLimit?: string;
  };
const queuePolicyStatements = (id: string) =>
  Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .map((policy) => policy.Properties as { Queues: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } })
    .filter((policy) => JSON.stringify(policy.Queues) === JSON.stringify([{ Ref: id }]))
    .flatMap((policy) => policy.PolicyDocument.Statement);
const eventSourceMappingsOf = (name: FunctionName) =>
  Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
    .map((mapping) => mapping.Properties as Record<string, unknown>)
    .filter((mapping) => JSON.stringify(mapping.FunctionName) === JSON.stringify({ Ref: functionId(name) }));
const notifications = () =>
  Object.values(template.findResources('Custom::S3BucketNotifications')).flatMap(
    (resource) =>
      (resource.Properties as { NotificationConfiguration: { LambdaFunctionConfigurations: unknown[] } })
        .NotificationConfiguration.LambdaFunctionConfigurations,
  );
const DAY_SECONDS = 24 * 60 * 60;

describe('row queue', () => {
  test('keeps messages ROW_QUEUE.retentionDays', () => {
    expect(queue(rowQueueId).MessageRetentionPeriod).toBe(ROW_QUEUE.retentionDays * DAY_SECONDS);
  });

  test('moves a message received ROW_QUEUE.maxReceiveCount times to the dead-letter queue', () => {
    expect(queue(rowQueueId).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
      maxReceiveCount: ROW_QUEUE.maxReceiveCount,
    });
  });
});

describe('row dead-letter queue', () => {
  test('keeps messages 14 days, as long as SQS can', () => {
    expect(queue(deadLetterQueueId).MessageRetentionPeriod).toBe(14 * DAY_SECONDS);
  });
});

describe('the row queue and its dead-letter queue are FIFO', () => {
  test.each([
    ['row queue', rowQueueId],
    ['row dead-letter queue', deadLetterQueueId],
  ])('the %s serves each message group one message at a time, deduplicated and rate-limited per group', (_n, id) => {
    expect(queue(id)).toMatchObject({
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  test('the job queues stay standard queues', () => {
    expect(queue(queueIds.jobs).FifoQueue).toBeUndefined();
    expect(queue(queueIds.jobDeadLetters).FifoQueue).toBeUndefined();
  });
});

describe.each(scheduleTriggered)('%s, run by EventBridge every %d minutes', (name, everyMinutes) => {
  const rule = () => {
    const found = Object.values(template.findResources('AWS::Events::Rule'))
      .map((resource) => resource.Properties as { ScheduleExpression?: string; Targets: Record<string, unknown>[] })
      .filter((properties) =>
        properties.Targets.some(
          (target) => JSON.stringify(target.Arn) === JSON.stringify({ 'Fn::GetAtt': [functionId(name), 'Arn'] }),
        ),
      );
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test('on a rate rule of its own', () => {
    expect(rule().ScheduleExpression).toBe(`rate(${everyMinutes} minutes)`);
  });

  test('a run EventBridge cannot deliver is retried, then kept in the schedules’ dead-letter queue', () => {
    expect(rule().Targets[0]).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [jobs.scheduleDeadLetterQueue, 'Arn'] } },
    });
  });

  test('a run it keeps failing on lands in its own dead-letter queue after two retries', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(name) },
      MaximumRetryAttempts: 2,
    });
    expect(resourceProperties(template, functionId(name)).DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [functionDeadLetterQueueId(name), 'Arn'] },
    });
  });
});

describe.each(Object.keys(template.findResources('AWS::SQS::Queue')))('queue %s', (id) => {
  test('is encrypted at rest', () => {
    expect(queue(id).SqsManagedSseEnabled).toBe(true);
  });

  test('refuses every request not sent over TLS', () => {
    expect(queuePolicyStatements(id)).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sqs:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: { 'Fn::GetAtt': [id, 'Arn'] },
    });
  });
});

describe.each(queueTriggered)('%s, fed by the %s queue', (name, queueName) => {
  const mapping = () => {
    const mappings = eventSourceMappingsOf(name);
    expect(mappings).toHaveLength(1);
    return mappings[0] ?? {};
  };

  test('reads from that queue', () => {
    expect(mapping().EventSourceArn).toEqual({ 'Fn::GetAtt': [queueIds[queueName], 'Arn'] });
  });

  test('reports failed messages one by one, so the rest of a batch is not retried', () => {
    expect(mapping().FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  test(`takes its queue settings' batch size (${queueName}) at a time, with its queue's default concurrency at most`, () => {
    expect(mapping()).toMatchObject({
      BatchSize: queueSettings(queueName).batchSize,
      ScalingConfig: { MaximumConcurrency: maxConcurrency[queueName] },
    });
  });

  test('gets at least six times its timeout to handle a message before the queue hands it out again', () => {
    expect(queue(queueIds[queueName]).VisibilityTimeout).toBeGreaterThanOrEqual(6 * FUNCTIONS[name].timeoutSeconds);
  });
});

describe('bucket notifications', () => {
  test.each(bucketPrefixTriggers)('every object created under %s invokes %s', (prefix, name) => {
    expect(notifications()).toContainEqual({
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } },
      LambdaFunctionArn: { 'Fn::GetAtt': [functionId(name), 'Arn'] },
    });
  });

  test('invoke nothing else', () => {
    expect(notifications()).toHaveLength(bucketPrefixTriggers.length);
  });
});

describe.each(bucketTriggered)('%s, invoked asynchronously by S3', (name) => {
  test('retries a failed event twice', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(name) },
      MaximumRetryAttempts: 2,
    });
  });

  test('sends an event it keeps failing on to its encrypted dead-letter queue', () => {
    const id = functionDeadLetterQueueId(name);
    expect(resourceProperties(template, functionId(name)).DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [id, 'Arn'] },
    });
    expect(queue(id)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * DAY_SECONDS });
  });
});

describe('event bus', () => {
  const busId = batchPipeline.eventBus;
  const outputs = () => template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;

  test('is output by name and ARN', () => {
    expect(outputs().EventBusName?.Value).toEqual({ Ref: busId });
    expect(outputs().EventBusArn?.Value).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
  });

  test(`documents the ${EVENTS.batchCompleted} event consumers can match`, () => {
    const description = `source ${EVENTS.source}, detail-type ${EVENTS.batchCompleted}`;
    expect(outputs().EventBusName?.Description).toContain(description);
    expect(resourceProperties(template, busId).Description).toContain(description);
  });
});
