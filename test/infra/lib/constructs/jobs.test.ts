import { FUNCTIONS, jobQueueOf } from '../../../../system/functions';
import { JOB_QUEUE, SCHEDULE_RETRY_ATTEMPTS, SCHEDULED_JOBS, SCHEDULES } from '../../../../system/resources';
import { SCHEDULE_MAX_EVENT_AGE } from '../../../../lib/constructs/jobs';
import { resourceProperties, sharedRegistry, type PolicyStatement } from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const { jobs } = ids;
const jobQueueId = jobs.jobQueue;
const jobDeadLetterQueueId = jobs.jobDeadLetterQueue;
const archiveJobQueueId = jobs.archiveJobQueue;
/** The queue each scheduled job's runs are sent to (`jobQueueOf`). */
const queueIdOf = (job: (typeof SCHEDULED_JOBS)[number]) =>
  jobQueueOf(job) === 'archiveJobs' ? archiveJobQueueId : jobQueueId;
const scheduleDeadLetterQueueId = jobs.scheduleDeadLetterQueue;
const DAY_SECONDS = 24 * 60 * 60;

/** What CDK renders for SCHEDULES, written out: EventBridge's day-of-week numbers start at 1 = Sunday. */
const CRON: Record<(typeof SCHEDULED_JOBS)[number], string> = {
  'invitation-audit': 'cron(0 0 * * ? *)',
  'device-audit': 'cron(0 1 ? * SUN *)',
  'expired-cleanup': 'cron(0 2 1 * ? *)',
  'audit-archive': 'cron(30 0 * * ? *)',
  'expiry-reminders': 'cron(0 3 * * ? *)',
  'stale-devices': 'cron(0 4 * * ? *)',
};
/** Off unless the deployment sets staleDeviceDays (which the shared registry does not). */
const OFF_BY_DEFAULT = ['stale-devices'];

interface RuleProperties {
  Description: string;
  ScheduleExpression: string;
  State: string;
  Targets: Record<string, unknown>[];
}
const rules = () =>
  Object.values(template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties as RuleProperties);
const queue = (id: string) => resourceProperties(template, id);
const queuePolicyStatements = (id: string) =>
  Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .map((policy) => policy.Properties as { Queues: unknown[]; PolicyDocument: { Statement: PolicyStatement[] } })
    .filter((policy) => JSON.stringify(policy.Queues) === JSON.stringify([{ Ref: id }]))
    .flatMap((policy) => policy.PolicyDocument.Statement);

describe('job queue', () => {
  test('keeps messages JOB_QUEUE.retentionDays', () => {
    expect(queue(jobQueueId).MessageRetentionPeriod).toBe(JOB_QUEUE.retentionDays * DAY_SECONDS);
  });

  test('moves a message received JOB_QUEUE.maxReceiveCount times to the job dead-letter queue', () => {
    expect(queue(jobQueueId).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [jobDeadLetterQueueId, 'Arn'] },
      maxReceiveCount: JOB_QUEUE.maxReceiveCount,
    });
  });

  test('hides a message six times the job runner’s timeout, so a run is never handed out twice at once', () => {
    expect(queue(jobQueueId).VisibilityTimeout).toBe(6 * FUNCTIONS.jobRunner.timeoutSeconds);
  });

  test('feeds the job runner one job per invocation, at most JOB_QUEUE.defaultMaxConcurrency at once', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.functions.jobRunner.function },
      EventSourceArn: { 'Fn::GetAtt': [jobQueueId, 'Arn'] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: JOB_QUEUE.defaultMaxConcurrency },
    });
  });
});

describe('archive job queue', () => {
  test('keeps messages JOB_QUEUE.retentionDays', () => {
    expect(queue(archiveJobQueueId).MessageRetentionPeriod).toBe(JOB_QUEUE.retentionDays * DAY_SECONDS);
  });

  test('moves a message received JOB_QUEUE.maxReceiveCount times to the job dead-letter queue, which fails any job', () => {
    expect(queue(archiveJobQueueId).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [jobDeadLetterQueueId, 'Arn'] },
      maxReceiveCount: JOB_QUEUE.maxReceiveCount,
    });
  });

  test('hides a message six times the audit archiver’s timeout', () => {
    expect(queue(archiveJobQueueId).VisibilityTimeout).toBe(6 * FUNCTIONS.auditArchiver.timeoutSeconds);
  });

  test('feeds the audit archiver, and no other function, one job per invocation', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((mapping) => mapping.Properties as { FunctionName: unknown; EventSourceArn: unknown; BatchSize: number })
      .filter(
        (mapping) =>
          JSON.stringify(mapping.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [archiveJobQueueId, 'Arn'] }),
      );
    expect(mappings).toEqual([
      expect.objectContaining({ FunctionName: { Ref: ids.functions.auditArchiver.function }, BatchSize: 1 }),
    ]);
  });

  test('carries the audit archive alone: the only job jobQueueOf sends to it', () => {
    expect(SCHEDULED_JOBS.filter((job) => jobQueueOf(job) === 'archiveJobs')).toEqual(['audit-archive']);
  });
});

describe.each([
  ['job dead-letter queue', jobDeadLetterQueueId],
  ['schedules’ dead-letter queue', scheduleDeadLetterQueueId],
])('the %s', (_name, id) => {
  test('keeps messages 14 days, as long as SQS can', () => {
    expect(queue(id).MessageRetentionPeriod).toBe(14 * DAY_SECONDS);
  });
});

describe('schedules', () => {
  test('are one rule per SCHEDULES entry, with its description and UTC cron', () => {
    expect(rules().map(({ Description, ScheduleExpression }) => [Description, ScheduleExpression])).toEqual(
      expect.arrayContaining(
        SCHEDULED_JOBS.map((job) => [
          `${SCHEDULES[job].description}${OFF_BY_DEFAULT.includes(job) ? ' (off)' : ''}`,
          CRON[job],
        ]),
      ),
    );
    const toJobQueues = rules().filter((rule) =>
      rule.Targets.some((target) =>
        [jobQueueId, archiveJobQueueId].some(
          (id) => JSON.stringify(target.Arn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
        ),
      ),
    );
    expect(toJobQueues).toHaveLength(SCHEDULED_JOBS.length);
  });

  test.each(SCHEDULED_JOBS.map((job) => [job, CRON[job]]))('%s runs on %s', (job, cron) => {
    expect(resourceProperties(template, jobs.schedules[job])).toMatchObject({
      ScheduleExpression: cron,
      State: OFF_BY_DEFAULT.includes(job) ? 'DISABLED' : 'ENABLED',
    });
  });

  test.each(SCHEDULED_JOBS.map((job) => [job, jobQueueOf(job)]))(
    '%s sends {"schedule", "time"} to its queue (%s), retried, with a dead-letter queue for runs it cannot deliver',
    (job) => {
      const { Targets } = resourceProperties(template, jobs.schedules[job]) as unknown as RuleProperties;
      expect(Targets).toEqual([
        {
          Id: expect.any(String),
          Arn: { 'Fn::GetAtt': [queueIdOf(job), 'Arn'] },
          InputTransformer: {
            InputPathsMap: { time: '$.time' },
            InputTemplate: `{"schedule":"${job}","time":<time>}`,
          },
          RetryPolicy: {
            MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds(),
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [scheduleDeadLetterQueueId, 'Arn'] } },
        },
      ]);
    },
  );

  test.each(SCHEDULED_JOBS.map((job) => [job]))(
    'only the %s rule itself may send its runs to its queue and the dead-letter queue',
    (job) => {
      const fromRule = {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [jobs.schedules[job], 'Arn'] } } },
      };
      expect(queuePolicyStatements(queueIdOf(job))).toContainEqual(
        expect.objectContaining({ ...fromRule, Action: expect.arrayContaining(['sqs:SendMessage']) }),
      );
      expect(queuePolicyStatements(scheduleDeadLetterQueueId)).toContainEqual(
        expect.objectContaining({ ...fromRule, Action: 'sqs:SendMessage' }),
      );
    },
  );
});
