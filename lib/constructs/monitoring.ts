import { Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SearchExpression,
  Stats,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { CfnRule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnEventSourceMapping, Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Subscription, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { STALL_STAGES } from '../../lambdas/domain/batch-stall';
import { type JobKind, ON_DEMAND_JOBS, SCHEDULED_JOBS } from '../../lambdas/domain/job';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../system/functions';
import { METRICS, METRICS_NAMESPACE, SERVICE_DIMENSION, type JobOutcome, type MetricName } from '../../lambdas/metrics';
import { DEAD_LETTER_RETENTION_DAYS } from '../../system/resources';
import { DEAD_LETTER_RETENTION, SecureQueue } from './secure-queue';

/** The window of every alarm but the batch failure rate's and the dead letters'. */
const ALARM_PERIOD = Duration.minutes(5);

const DEAD_LETTER_PERIOD = Duration.minutes(1);

/** Counts over ALARM_PERIOD, as alarms read them and the dashboard shows them. */
const SUM = { period: ALARM_PERIOD, statistic: Stats.SUM } as const;

/**
 * The share of batch rows failing (percent) that raises the batch failure rate alarm, over
 * BATCH_FAILURE_RATE_WINDOW. Rows refused for their content count too: a batch where one row in ten fails
 * deserves a look whether the sender or the registry is at fault.
 */
export const BATCH_FAILURE_RATE_THRESHOLD_PERCENT = 10;
export const BATCH_FAILURE_RATE_WINDOW = Duration.minutes(15);

/** CloudWatch's limit on the metrics one metric math alarm reads. */
const METRICS_PER_ALARM = 10;

const FAILED: JobOutcome = 'failed';

type DimensionsOf<Name extends MetricName> = Record<(typeof METRICS)[Name]['dimensions'][number], string>;

/** A construct's path inside its stack (`BatchPipeline/RowDeadLetterQueue`). */
const pathInStack = (construct: IConstruct): string => {
  const { scopes } = construct.node;
  return scopes
    .slice(scopes.indexOf(Stack.of(construct)) + 1)
    .map((scope) => scope.node.id)
    .join('/');
};

/**
 * The messages that reached a dead-letter queue: those waiting in it, and those its handler (the row and job
 * dead-letter queues have one) took within the minute, which never wait long enough to be seen waiting.
 */
const deadLetters = (queue: IQueue, index: number, label?: string): MathExpression =>
  new MathExpression({
    // Ids unique per queue: one graph shows every dead-letter queue.
    expression: `FILL(waiting${index}, 0) + FILL(taken${index}, 0)`,
    usingMetrics: {
      [`waiting${index}`]: queue.metricApproximateNumberOfMessagesVisible({
        period: DEAD_LETTER_PERIOD,
        statistic: Stats.MAXIMUM,
      }),
      [`taken${index}`]: queue.metricNumberOfMessagesReceived({ period: DEAD_LETTER_PERIOD, statistic: Stats.SUM }),
    },
    period: DEAD_LETTER_PERIOD,
    label,
  });

const alarmPerFunction = (names: FunctionName[], alarmOf: (name: FunctionName) => Alarm) =>
  Object.fromEntries(names.map((name) => [name, alarmOf(name)])) as Record<FunctionName, Alarm>;

/**
 * Every queue of the stack that failures are sent to: the redrive target of a queue, the asynchronous
 * dead-letter queue of a Lambda function or an SNS subscription, the dead-letter queue of an EventBridge rule
 * target, the on-failure destination of an event source mapping (a stream's).
 */
export function deadLetterQueuesOf(stack: Stack): IQueue[] {
  const constructs = stack.node.findAll();
  const queues = constructs.filter((construct): construct is Queue => construct instanceof Queue);
  const ruleDeadLetterArns = constructs
    .filter((construct): construct is CfnRule => construct instanceof CfnRule)
    .flatMap((rule) => (stack.resolve(rule.targets) ?? []) as { deadLetterConfig?: { arn: unknown } }[])
    .map((target) => target.deadLetterConfig?.arn);
  const onFailureArns = constructs
    .filter((construct): construct is CfnEventSourceMapping => construct instanceof CfnEventSourceMapping)
    .map(
      (mapping) =>
        (stack.resolve(mapping.destinationConfig) as { onFailure?: { destination?: unknown } } | undefined)?.onFailure
          ?.destination,
    );
  const failureArns = new Set([...ruleDeadLetterArns, ...onFailureArns].map((arn) => JSON.stringify(arn)));
  return [
    ...new Set([
      ...queues.flatMap((queue) => (queue.deadLetterQueue ? [queue.deadLetterQueue.queue] : [])),
      ...constructs.flatMap((construct) =>
        (construct instanceof LambdaFunction || construct instanceof Subscription) && construct.deadLetterQueue
          ? [construct.deadLetterQueue]
          : [],
      ),
      ...queues.filter((queue) => failureArns.has(JSON.stringify(stack.resolve(queue.queueArn)))),
    ]),
  ];
}

export interface MonitoringProps {
  functions: Readonly<Record<FunctionName, IFunction>>;
  /** The API stage whose traffic, errors and latency are watched. */
  stage: Stage;
  /** The queues work waits in (the row and job queues), whose depth and age the dashboard shows. */
  workQueues: readonly IQueue[];
  /** Where alarms are mailed, if anywhere (other subscribers can be added to the topic). */
  alarmEmail?: string;
}

interface AlarmSpec {
  name: string;
  description: string;
  metric: IMetric;
  threshold?: number;
}

/**
 * The registry's alarms (docs/SPEC.md §4.7), each notifying the alarm topic when it fires and when it recovers, and
 * its dashboard. Create it last: it watches the dead-letter queues the stack holds by then.
 */
export class Monitoring extends Construct {
  public readonly alarmKey: Key;
  public readonly alarmTopic: Topic;
  public readonly emailSubscription?: Subscription;
  public readonly deadLetterAlarms: ReadonlyMap<IQueue, Alarm>;
  public readonly apiServerErrorAlarm: Alarm;
  public readonly functionErrorAlarms: Readonly<Record<FunctionName, Alarm>>;
  public readonly functionThrottleAlarms: Readonly<Record<FunctionName, Alarm>>;
  public readonly batchFailureRateAlarm: Alarm;
  public readonly jobFailureAlarm: Alarm;
  public readonly scheduledJobFailureAlarm: Alarm;
  public readonly stalledBatchAlarm: Alarm;
  public readonly dashboard: Dashboard;

  private readonly serviceName: string;
  private readonly alarmAction: SnsAction;

  constructor(scope: Construct, id: string, { functions, stage, workQueues, alarmEmail }: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.serviceName = stack.stackName;

    // Alarms cannot publish to a topic encrypted with the AWS-managed SNS key: CloudWatch must use this one.
    this.alarmKey = new Key(this, 'AlarmTopicKey', {
      description: `${this.serviceName} alarm topic encryption`,
      enableKeyRotation: true,
    });
    this.alarmKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `${this.serviceName} alarms`,
      masterKey: this.alarmKey,
      enforceSSL: true,
    });
    this.alarmAction = new SnsAction(this.alarmTopic);
    if (alarmEmail !== undefined) {
      // A notification SNS cannot deliver lands here, and so raises the dead-letter alarm like any other.
      const deadLetterQueue = new SecureQueue(this, 'AlarmEmailDeadLetterQueue', {
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      this.emailSubscription = this.alarmTopic.addSubscription(new EmailSubscription(alarmEmail, { deadLetterQueue }));
    }

    this.deadLetterAlarms = new Map(
      deadLetterQueuesOf(stack).map((queue, index) => [queue, this.deadLetterAlarm(queue, index)]),
    );
    this.apiServerErrorAlarm = this.alarm('ApiServerErrors', {
      name: 'API 5xx',
      description:
        `The API (stage ${stage.stageName}) answered with server errors (5xx) in the last 5 minutes. The dashboard's ` +
        'requests by route and Lambda errors show where; read that function’s logs and X-Ray traces.',
      metric: stage.metricServerError(SUM),
    });
    const functionNames = Object.keys(functions) as FunctionName[];
    this.functionErrorAlarms = alarmPerFunction(functionNames, (name) =>
      this.alarm(`${name}Errors`, {
        name: `${name} errors`,
        description:
          `${name} failed (threw or timed out) in the last 5 minutes. Read its logs and X-Ray traces; a queue ` +
          'message it kept failing on ends in a dead-letter queue.',
        metric: functions[name].metricErrors(SUM),
      }),
    );
    this.functionThrottleAlarms = alarmPerFunction(functionNames, (name) =>
      this.alarm(`${name}Throttles`, {
        name: `${name} throttles`,
        description:
          `Lambda refused invocations of ${name} for lack of concurrency in the last 5 minutes. Compare the ` +
          'account’s concurrent executions with its Lambda quota, and ask for more or lower batchConcurrency.',
        metric: functions[name].metricThrottles(SUM),
      }),
    );
    this.batchFailureRateAlarm = this.alarm('BatchFailureRate', {
      name: 'batch row failure rate',
      description:
        `${BATCH_FAILURE_RATE_THRESHOLD_PERCENT}% or more of the batch rows handled in ` +
        `${BATCH_FAILURE_RATE_WINDOW.toHumanString()} failed. The batches' results CSVs give each row's error: ` +
        'bad input from a sender, or a registry fault when every row fails alike (then read the batch worker’s logs).',
      metric: this.batchFailureRate(),
      threshold: BATCH_FAILURE_RATE_THRESHOLD_PERCENT,
    });
    this.jobFailureAlarm = this.alarm('JobFailures', {
      name: 'failed job runs',
      description:
        'A job run failed in the last 5 minutes (an export, device operations, revoke-all or a cascading ' +
        'revocation). Find it with the CLI’s `jobs list`, read its error and the job runner’s logs, fix the cause ' +
        'and run the job again: every kind is safe to run twice.',
      metric: this.failedJobRuns('Failed job runs', ON_DEMAND_JOBS),
    });
    this.scheduledJobFailureAlarm = this.alarm('ScheduledJobFailures', {
      name: 'failed scheduled job runs',
      description:
        'A run of a scheduled job failed in the last 5 minutes (an audit, the expired cleanup, the audit archive, ' +
        'the expiry reminders or the stale-device revocation), on its schedule or on demand. Find it with the CLI’s ' +
        '`jobs list`, read its error and the logs of the function that ran it (the job runner, or the audit ' +
        'archiver for the archive), fix the cause and run it again with `jobs run <job>`: every job is safe to ' +
        'run twice.',
      metric: this.failedJobRuns('Failed scheduled job runs', SCHEDULED_JOBS),
    });
    this.stalledBatchAlarm = this.alarm('StalledBatches', {
      name: 'stalled batches',
      description:
        'The batch watchdog found a batch that stopped moving in the last 5 minutes: a file never split, a split ' +
        'cut short or results not written (which it sets going again), or chunks pending with none recorded for ' +
        '15 minutes. Its log names the batch and the stage; `batches status <batch>` shows its progress. An alarm ' +
        'that stays on means the watchdog cannot help: read the batch worker’s and the watchdog’s logs.',
      metric: this.stalledBatches(),
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: this.serviceName });
    this.addApiWidgets(stage);
    this.dashboard.addWidgets(
      ...(Object.keys(METRICS) as MetricName[]).map(
        (name) => new GraphWidget({ title: METRICS[name].description, left: [this.registrySeries(name)] }),
      ),
      new AlarmWidget({ title: 'Batch row failure rate (%)', alarm: this.batchFailureRateAlarm }),
    );
    this.addQueueWidgets(workQueues);
    this.addFunctionWidgets(functions);
    this.addStreamWidgets(functions);
  }

  /** An alarm on `metric` reaching `threshold` (default 1), notifying the topic when it fires and recovers. */
  private alarm(id: string, { name, description, metric, threshold = 1 }: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.serviceName} ${name}`,
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
    return alarm;
  }

  private deadLetterAlarm(queue: IQueue, index: number): Alarm {
    const path = pathInStack(queue);
    return this.alarm(`${path.replaceAll('/', '')}Alarm`, {
      name: `dead letters in ${path}`,
      description:
        `Messages wait in the dead-letter queue ${path}: their work failed every attempt. Read them in the SQS ` +
        `console (they are kept ${DEAD_LETTER_RETENTION_DAYS} days), find the error in the logs and X-Ray traces ` +
        'of the function that failed them, fix the cause, then redrive or delete them.',
      metric: deadLetters(queue, index),
    });
  }

  /** A registry metric of this deployment (its `service` dimension), summed over `period`. */
  private registryMetric<Name extends MetricName>(
    name: Name,
    dimensions: DimensionsOf<Name>,
    period: Duration = ALARM_PERIOD,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: { [SERVICE_DIMENSION]: this.serviceName, ...dimensions },
      statistic: Stats.SUM,
      period,
    });
  }

  /** Every series of a registry metric of this deployment: one per value of its METRICS dimensions. */
  private registrySeries(name: MetricName): SearchExpression {
    const schema = [METRICS_NAMESPACE, SERVICE_DIMENSION, ...METRICS[name].dimensions].join(',');
    const search = `{${schema}} MetricName="${name}" ${SERVICE_DIMENSION}="${this.serviceName}"`;
    return new SearchExpression({
      expression: `SEARCH('${search}', '${Stats.SUM}', ${ALARM_PERIOD.toSeconds()})`,
      label: '',
      period: ALARM_PERIOD,
    });
  }

  /** Failed rows as a percentage of the rows handled; 0 when none were, and a missing count counts as 0. */
  private batchFailureRate(): MathExpression {
    const rows = (name: 'BatchRowsSucceeded' | 'BatchRowsFailed') =>
      this.registryMetric(name, {}, BATCH_FAILURE_RATE_WINDOW);
    const total = 'FILL(succeeded, 0) + FILL(failed, 0)';
    return new MathExpression({
      expression: `IF(${total} > 0, 100 * FILL(failed, 0) / (${total}), 0)`,
      usingMetrics: { succeeded: rows('BatchRowsSucceeded'), failed: rows('BatchRowsFailed') },
      period: BATCH_FAILURE_RATE_WINDOW,
      label: 'Batch rows failed (%)',
    });
  }

  /**
   * Failed runs of the jobs of `kinds`, a kind without runs counting as 0. One alarm reads at most METRICS_PER_ALARM
   * series, so the on-demand and the scheduled jobs each have their own.
   */
  private failedJobRuns(label: string, kinds: readonly JobKind[]): MathExpression {
    return this.sumOf(
      label,
      kinds.map((kind) => this.registryMetric('JobRuns', { kind, outcome: FAILED })),
    );
  }

  /** Batches the watchdog found stalled, at every stage (STALL_STAGES), a stage without any counting as 0. */
  private stalledBatches(): MathExpression {
    return this.sumOf(
      'Stalled batches',
      STALL_STAGES.map((stage) => this.registryMetric('BatchesStalled', { stage })),
    );
  }

  /** The sum of `metrics` over ALARM_PERIOD, a missing one counting as 0. */
  private sumOf(label: string, metrics: Metric[]): MathExpression {
    if (metrics.length > METRICS_PER_ALARM) {
      throw new Error(`An alarm reads ${METRICS_PER_ALARM} metrics at most, not ${metrics.length} (${label})`);
    }
    return new MathExpression({
      expression: metrics.map((_, index) => `FILL(m${index}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(metrics.map((metric, index) => [`m${index}`, metric])),
      period: ALARM_PERIOD,
      label,
    });
  }

  private addApiWidgets(stage: Stage): void {
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests', left: [stage.metricCount({ ...SUM, label: 'Requests' })] }),
      new GraphWidget({
        title: 'API errors',
        left: [stage.metricClientError({ ...SUM, label: '4xx' }), stage.metricServerError({ ...SUM, label: '5xx' })],
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: [50, 90, 99].map((percentile) =>
          stage.metricLatency({
            period: ALARM_PERIOD,
            statistic: Stats.percentile(percentile),
            label: `p${percentile}`,
          }),
        ),
      }),
    );
  }

  private addQueueWidgets(workQueues: readonly IQueue[]): void {
    const deepest = { period: ALARM_PERIOD, statistic: Stats.MAXIMUM };
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Messages waiting',
        left: workQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({ ...deepest, label: pathInStack(queue) }),
        ),
      }),
      new GraphWidget({
        title: 'Age of the oldest message (s)',
        left: workQueues.map((queue) =>
          queue.metricApproximateAgeOfOldestMessage({ ...deepest, label: pathInStack(queue) }),
        ),
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: [...this.deadLetterAlarms.keys()].map((queue, index) => deadLetters(queue, index, pathInStack(queue))),
      }),
    );
  }

  /**
   * For each function the audit stream feeds: how far behind the stream it is (the age of the last record it was
   * handed, which grows while it fails or cannot keep up) beside its errors.
   */
  private addStreamWidgets(functions: Readonly<Record<FunctionName, IFunction>>): void {
    const streamFed = (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][])
      .filter(([, { trigger }]) => trigger?.kind === 'auditStream')
      .map(([name]) => name);
    this.dashboard.addWidgets(
      ...streamFed.map(
        (name) =>
          new GraphWidget({
            title: `${name}: audit stream iterator age (ms) and errors`,
            left: [
              functions[name].metric('IteratorAge', {
                period: ALARM_PERIOD,
                statistic: Stats.MAXIMUM,
                label: 'iterator age',
              }),
            ],
            right: [functions[name].metricErrors({ ...SUM, label: 'errors' })],
          }),
      ),
    );
  }

  private addFunctionWidgets(functions: Readonly<Record<FunctionName, IFunction>>): void {
    const perFunction = (metricOf: (fn: IFunction, label: string) => IMetric) =>
      Object.entries(functions).map(([name, fn]) => metricOf(fn, name));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors',
        left: perFunction((fn, label) => fn.metricErrors({ ...SUM, label })),
      }),
      new GraphWidget({
        title: 'Lambda throttles',
        left: perFunction((fn, label) => fn.metricThrottles({ ...SUM, label })),
      }),
      new GraphWidget({
        title: 'Lambda duration p99 (ms)',
        left: perFunction((fn, label) =>
          fn.metricDuration({ period: ALARM_PERIOD, statistic: Stats.percentile(99), label }),
        ),
      }),
    );
  }
}
