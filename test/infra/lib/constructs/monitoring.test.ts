import { STALL_STAGES } from '../../../../lambdas/domain/batch-stall';
import { JOB_KINDS, ON_DEMAND_JOBS, SCHEDULED_JOBS } from '../../../../lambdas/domain/job';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../../../system/functions';
import { METRICS, METRICS_NAMESPACE, type MetricName } from '../../../../lambdas/metrics';
import { BATCH_FAILURE_RATE_THRESHOLD_PERCENT, BATCH_FAILURE_RATE_WINDOW } from '../../../../lib/constructs/monitoring';
import {
  actionsOf,
  outputs,
  referencedIds,
  resourceProperties,
  sharedRegistry,
  synthRegistry,
  type PolicyStatement,
} from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const { monitoring } = ids;
const topicId = monitoring.alarmTopic;
const keyId = monitoring.alarmKey;

interface Dimension {
  Name: string;
  Value: unknown;
}
interface MetricProperties {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
}
interface MetricQuery {
  Id: string;
  Expression?: string;
  MetricStat?: { Metric: MetricProperties; Period: number; Stat: string };
  ReturnData?: boolean;
}
interface AlarmProperties extends Partial<MetricProperties> {
  AlarmActions: unknown[];
  OKActions: unknown[];
  Statistic?: string;
  Period?: number;
  Metrics?: MetricQuery[];
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
}

const alarmsById = () =>
  Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(
    ([id, found]) => [id, found.Properties as AlarmProperties] as const,
  );
const byName = (dimensions: Dimension[]) => [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
/** The single-metric alarms watching this metric with exactly these dimensions. */
const sameMetric = (a: Partial<MetricProperties>, b: MetricProperties) =>
  a.Namespace === b.Namespace &&
  a.MetricName === b.MetricName &&
  JSON.stringify(byName(a.Dimensions ?? [])) === JSON.stringify(byName(b.Dimensions));
const alarmsOn = (metric: MetricProperties) =>
  alarmsById()
    .map(([, alarm]) => alarm)
    .filter((alarm) => sameMetric(alarm, metric));
const alarm = (id: string) => resourceProperties(template, id) as unknown as AlarmProperties;
const metricsRead = (alarmProperties: AlarmProperties) =>
  (alarmProperties.Metrics ?? []).flatMap(({ MetricStat }) => (MetricStat ? [MetricStat.Metric] : []));

/**
 * A registry metric as the functions emit it: in METRICS_NAMESPACE, with the `service` dimension (Powertools'
 * own, the stack name) and every dimension METRICS lists for it, valued from `values`.
 */
const emitted = (name: MetricName, values: Record<string, string> = {}): MetricProperties => ({
  Namespace: METRICS_NAMESPACE,
  MetricName: name,
  Dimensions: byName([
    { Name: 'service', Value: ids.stackName },
    ...METRICS[name].dimensions.map((dimension) => {
      const value = values[dimension];
      if (value === undefined) throw new Error(`${name} needs a ${dimension} value`);
      return { Name: dimension, Value: value };
    }),
  ]),
});
const withSortedDimensions = (metric: MetricProperties) => ({ ...metric, Dimensions: byName(metric.Dimensions) });

const AT_LEAST_ONE = { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };

describe.each(alarmsById())('alarm %s', (_id, properties) => {
  test('notifies the alarm topic when it fires and when it recovers', () => {
    expect(properties.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(properties.OKActions).toEqual([{ Ref: topicId }]);
  });

  test('stays quiet while there is no data', () => {
    expect(properties.TreatMissingData).toBe('notBreaching');
  });
});

describe('alarm topic', () => {
  const topicPolicyStatements = () =>
    Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .map((policy) => policy.Properties as { Topics: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } })
      .filter((policy) => JSON.stringify(policy.Topics) === JSON.stringify([{ Ref: topicId }]))
      .flatMap((policy) => policy.PolicyDocument.Statement);

  test('is encrypted with a customer-managed key that rotates', () => {
    expect(resourceProperties(template, topicId).KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(resourceProperties(template, keyId).EnableKeyRotation).toBe(true);
  });

  test('has a key CloudWatch alarms may encrypt their notifications with', () => {
    const { KeyPolicy } = resourceProperties(template, keyId) as { KeyPolicy: { Statement: PolicyStatement[] } };
    const forCloudWatch = KeyPolicy.Statement.filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        JSON.stringify((statement as { Principal?: unknown }).Principal) ===
          JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
    );
    expect(forCloudWatch.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  test('refuses every publication not sent over TLS', () => {
    expect(topicPolicyStatements()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { Ref: topicId },
      }),
    );
  });

  test('mails no one when no alarmEmail is given', () => {
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
  });

  test('mails alarmEmail when it is given, keeping a notification it cannot deliver in an alarmed dead-letter queue', () => {
    const withEmail = synthRegistry({ alarmEmail: 'ops@example.com' });
    const { monitoring } = withEmail.ids;
    const deadLetterQueue = monitoring.emailDeadLetterQueue!;
    const subscriptions = Object.values(withEmail.template.findResources('AWS::SNS::Subscription'));
    expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
      {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: monitoring.alarmTopic },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
      },
    ]);
    expect(Object.keys(monitoring.deadLetterAlarms)).toContain(deadLetterQueue);
  });

  test('is output by ARN', () => {
    expect(outputs(template).AlarmTopicArn?.Value).toEqual({ Ref: topicId });
  });
});

describe('dead-letter queues', () => {
  /**
   * Every queue the template sends failures to: redrive targets (of queues and SNS subscriptions), Lambda
   * DeadLetterConfigs, rule targets' dead-letter queues, event source mappings' on-failure destinations.
   */
  const deadLetterTargets = (): string[] => {
    const resources = Object.values(
      template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    );
    const targets = resources.flatMap(({ Type, Properties }) => {
      switch (Type) {
        case 'AWS::SQS::Queue':
        case 'AWS::SNS::Subscription':
          return [(Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn];
        case 'AWS::Lambda::Function':
          return [(Properties.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn];
        case 'AWS::Events::Rule':
          return ((Properties.Targets ?? []) as { DeadLetterConfig?: { Arn: unknown } }[]).map(
            (target) => target.DeadLetterConfig?.Arn,
          );
        case 'AWS::Lambda::EventSourceMapping':
          return [(Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure];
        default:
          return [];
      }
    });
    return [...new Set(referencedIds(targets))];
  };

  test('are found wherever the stack sends failures: queue redrives, S3 events a function failed, schedule runs, audit stream batches given up', () => {
    expect(deadLetterTargets()).toEqual(
      expect.arrayContaining([
        ids.batchPipeline.rowDeadLetterQueue,
        ids.jobs.jobDeadLetterQueue,
        ids.jobs.scheduleDeadLetterQueue,
        ids.functions.batchSplitter.deadLetterQueue!,
        ids.functions.auditPublisher.streamFailureQueue!,
      ]),
    );
  });

  test.each(deadLetterTargets())(
    '%s raises an alarm as soon as a message reaches it, whether it waits there or its handler takes it',
    (queueId) => {
      const ofQueue = (MetricName: string): MetricProperties => ({
        Namespace: 'AWS/SQS',
        MetricName,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      });
      const watching = alarmsById()
        .map(([, properties]) => properties)
        .filter((properties) => {
          const read = metricsRead(properties);
          return ['ApproximateNumberOfMessagesVisible', 'NumberOfMessagesReceived'].every((name) =>
            read.some((metric) => sameMetric(metric, ofQueue(name))),
          );
        });
      expect(watching).toHaveLength(1);
      const [alarm] = watching as [AlarmProperties];
      expect(alarm).toMatchObject(AT_LEAST_ONE);
      const queries = alarm.Metrics!;
      const idOf = (name: string) => queries.find((query) => query.MetricStat?.Metric.MetricName === name)!.Id;
      const stats = queries.flatMap(({ MetricStat }) =>
        MetricStat ? [[MetricStat.Metric.MetricName, MetricStat.Stat]] : [],
      );
      expect(stats).toEqual(
        expect.arrayContaining([
          ['ApproximateNumberOfMessagesVisible', 'Maximum'],
          ['NumberOfMessagesReceived', 'Sum'],
        ]),
      );
      const answer = queries.find((query) => query.ReturnData !== false && query.Expression)!;
      expect(answer.Expression).toBe(
        `FILL(${idOf('ApproximateNumberOfMessagesVisible')}, 0) + FILL(${idOf('NumberOfMessagesReceived')}, 0)`,
      );
    },
  );
});

test('any server error (5xx) of this API’s stage in 5 minutes raises an alarm', () => {
  const { restApi, deploymentStage } = ids.api;
  const watching = alarmsOn({
    Namespace: 'AWS/ApiGateway',
    MetricName: '5XXError',
    Dimensions: [
      { Name: 'ApiName', Value: resourceProperties(template, restApi).Name },
      { Name: 'Stage', Value: { Ref: deploymentStage } },
    ],
  });
  expect(watching).toContainEqual(expect.objectContaining({ ...AT_LEAST_ONE, Statistic: 'Sum', Period: 300 }));
});

describe.each(Object.keys(FUNCTIONS) as FunctionName[])('function %s', (name) => {
  test.each(['Errors', 'Throttles'])('raises an alarm on any %s in 5 minutes', (metricName) => {
    const watching = alarmsOn({
      Namespace: 'AWS/Lambda',
      MetricName: metricName,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.functions[name].function } }],
    });
    expect(watching).toContainEqual(expect.objectContaining({ ...AT_LEAST_ONE, Statistic: 'Sum', Period: 300 }));
  });
});

describe('batch failure rate alarm', () => {
  const properties = alarm(monitoring.batchFailureRateAlarm);
  const expression = () => properties.Metrics?.find((query) => query.ReturnData)?.Expression ?? '';

  test('reads the rows succeeded and failed of this deployment, exactly as the functions emit them', () => {
    expect(metricsRead(properties).map(withSortedDimensions)).toEqual([
      emitted('BatchRowsSucceeded'),
      emitted('BatchRowsFailed'),
    ]);
  });

  test(`sums them over ${BATCH_FAILURE_RATE_WINDOW.toHumanString()}`, () => {
    const stats = (properties.Metrics ?? []).flatMap(({ MetricStat }) => (MetricStat ? [MetricStat] : []));
    expect(stats.map(({ Period, Stat }) => [Period, Stat])).toEqual([
      [BATCH_FAILURE_RATE_WINDOW.toSeconds(), 'Sum'],
      [BATCH_FAILURE_RATE_WINDOW.toSeconds(), 'Sum'],
    ]);
  });

  test('divides failed rows by all rows only when there were rows, a missing count being 0', () => {
    const [succeeded, failed] = (properties.Metrics ?? []).filter((query) => query.MetricStat).map(({ Id }) => Id);
    const total = `FILL(${succeeded}, 0) + FILL(${failed}, 0)`;
    expect(expression()).toBe(`IF(${total} > 0, 100 * FILL(${failed}, 0) / (${total}), 0)`);
  });

  test(`fires at ${BATCH_FAILURE_RATE_THRESHOLD_PERCENT}% failed or more`, () => {
    expect(properties).toMatchObject({
      Threshold: BATCH_FAILURE_RATE_THRESHOLD_PERCENT,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe.each([
  [
    'failed job runs',
    () => monitoring.jobFailureAlarm,
    ON_DEMAND_JOBS.map((kind) => emitted('JobRuns', { kind, outcome: 'failed' })),
  ],
  [
    'failed scheduled job runs',
    () => monitoring.scheduledJobFailureAlarm,
    SCHEDULED_JOBS.map((kind) => emitted('JobRuns', { kind, outcome: 'failed' })),
  ],
  [
    'stalled batches',
    () => monitoring.stalledBatchAlarm,
    STALL_STAGES.map((stage) => emitted('BatchesStalled', { stage })),
  ],
])('%s alarm', (_name, alarmOf, series) => {
  const properties = alarm(alarmOf());

  test('reads every series, exactly as the functions emit them', () => {
    const read = metricsRead(properties).map(withSortedDimensions);
    expect(read).toHaveLength(series.length);
    expect(read).toEqual(expect.arrayContaining(series));
  });

  test('adds them up, a series without data counting as 0, and fires on the first', () => {
    const ids = (properties.Metrics ?? []).filter((query) => query.MetricStat).map(({ Id }) => Id);
    const returned = properties.Metrics?.find((query) => query.ReturnData);
    expect(returned?.Expression).toBe(ids.map((id) => `FILL(${id}, 0)`).join(' + '));
    expect(properties).toMatchObject(AT_LEAST_ONE);
  });
});

test('the two job alarms together read the failed runs of every kind of job', () => {
  const kinds = [monitoring.jobFailureAlarm, monitoring.scheduledJobFailureAlarm].flatMap((id) =>
    metricsRead(alarm(id)).map((metric) => metric.Dimensions.find(({ Name }) => Name === 'kind')?.Value),
  );
  expect(kinds.sort()).toEqual([...JOB_KINDS].sort());
});

describe('dashboard', () => {
  const dashboardId = monitoring.dashboard;
  /** The widgets of the dashboard body, with CloudFormation references turned into placeholders. */
  const widgets = () => {
    const body = resourceProperties(template, dashboardId).DashboardBody as { 'Fn::Join': [string, unknown[]] };
    const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'REF')).join('');
    return (JSON.parse(text) as { widgets: { properties: { title?: string; metrics?: unknown[][] } }[] }).widgets;
  };
  const expressions = () =>
    widgets()
      .flatMap(({ properties }) => properties.metrics ?? [])
      .flat()
      .flatMap((entry) => (typeof entry === 'object' && entry && 'expression' in entry ? [entry.expression] : []));

  test.each(Object.keys(METRICS) as MetricName[])(
    'shows every series of %s of this deployment, one per value of its dimensions',
    (name) => {
      const schema = [METRICS_NAMESPACE, 'service', ...METRICS[name].dimensions].join(',');
      expect(expressions()).toContain(
        `SEARCH('{${schema}} MetricName="${name}" service="${ids.stackName}"', 'Sum', 300)`,
      );
    },
  );

  test.each(
    (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][])
      .filter(([, { trigger }]) => trigger?.kind === 'auditStream')
      .map(([name]) => name),
  )('shows how far %s is behind the audit stream (its iterator age), beside its errors', (name) => {
    const widget = widgets().find(({ properties }) => properties.title?.startsWith(`${name}:`));
    const metrics = (widget?.properties.metrics ?? []).map((metric) =>
      metric.filter((part) => typeof part === 'string'),
    );
    expect(metrics).toEqual([
      ['AWS/Lambda', 'IteratorAge', 'FunctionName', 'REF'],
      ['AWS/Lambda', 'Errors', 'FunctionName', 'REF'],
    ]);
  });

  test('is output by name', () => {
    expect(outputs(template).DashboardName?.Value).toEqual({ Ref: dashboardId });
  });
});
