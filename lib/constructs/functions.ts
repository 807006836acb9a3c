import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  FUNCTIONS,
  TABLE_ACCESS,
  queueSettings,
  type FunctionDefinition,
  type FunctionName,
  type JobQueue,
  type TriggerQueue,
} from '../../system/functions';
import { ENV, JOB_QUEUE, MAIL_QUEUE, SCHEDULE_RETRY_ATTEMPTS, WEBHOOK_QUEUE } from '../../system/resources';
import type { BatchPipeline } from './batch-pipeline';
import type { RegistryData } from './data';
import { SCHEDULE_MAX_EVENT_AGE, type Jobs } from './jobs';
import type { MailDelivery } from './mail';
import {
  RegistryFunction,
  type BatchLimits,
  type QueueUrlVariable,
  type RegistryFunctionProps,
} from './registry-function';
import { DEAD_LETTER_RETENTION, SecureQueue } from './secure-queue';
import type { RegistryStorage } from './storage';
import type { WebhookDeliveries } from './webhooks';

export interface RegistryFunctionsProps {
  data: RegistryData;
  storage: RegistryStorage;
  batchPipeline: BatchPipeline;
  jobs: Jobs;
  webhookDeliveries: WebhookDeliveries;
  mailDelivery: MailDelivery;
  /** The folder of mail templates the mailer carries, where not DEFAULT_MAIL_TEMPLATES (RegistryFunctionProps). */
  mailTemplates?: string;
  /** Limits the splitter holds batch CSVs to, where they differ from its defaults. */
  batchLimits?: BatchLimits;
  /** Days the job runner keeps expired invitations before the cleanup removes them, where not its default. */
  retentionDays?: number;
  /** The allowance of an invitation created without `maxDescendants`, where not the default 10,000. */
  defaultMaxDescendants?: number;
  /** Seconds a device's `lastSeenAt` may lag its latest validation, where not the default 300. */
  lastSeenIntervalSeconds?: number;
  /** Days before expiry that `expiry-reminders` announces an invitation, where not the default 7. */
  expiryReminderDays?: number;
  /** Days unseen after which `stale-devices` revokes a device; unset, the job is off. */
  staleDeviceDays?: number;
  /** Stack traces mapped to the source, at a cost to every cold start (RegistryFunctionProps.sourceMaps). */
  sourceMaps?: boolean;
}

type Resources = Omit<
  RegistryFunctionsProps,
  | 'batchLimits'
  | 'retentionDays'
  | 'defaultMaxDescendants'
  | 'lastSeenIntervalSeconds'
  | 'expiryReminderDays'
  | 'staleDeviceDays'
  | 'sourceMaps'
  | 'mailTemplates'
>;

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** The variable that tells a function the URL of each job queue it sends to. */
const JOB_QUEUE_URL_VARIABLES: Record<JobQueue, QueueUrlVariable> = {
  jobs: ENV.jobQueueUrl,
  archiveJobs: ENV.archiveJobQueueUrl,
};

/** The queue behind a trigger, and how many invocations of its consumer may run at once. */
function triggerQueue(
  name: TriggerQueue,
  { batchPipeline, jobs, webhookDeliveries, mailDelivery }: Resources,
): { queue: IQueue; maxConcurrency: number } {
  switch (name) {
    case 'rows':
      return { queue: batchPipeline.rowQueue, maxConcurrency: batchPipeline.maxConcurrency };
    case 'rowDeadLetters':
      return { queue: batchPipeline.rowDeadLetterQueue, maxConcurrency: batchPipeline.maxConcurrency };
    case 'jobs':
      return { queue: jobs.jobQueue, maxConcurrency: JOB_QUEUE.defaultMaxConcurrency };
    case 'jobDeadLetters':
      return { queue: jobs.jobDeadLetterQueue, maxConcurrency: JOB_QUEUE.defaultMaxConcurrency };
    case 'archiveJobs':
      return { queue: jobs.archiveJobQueue, maxConcurrency: JOB_QUEUE.defaultMaxConcurrency };
    case 'webhookDeliveries':
      return { queue: webhookDeliveries.queue, maxConcurrency: WEBHOOK_QUEUE.defaultMaxConcurrency };
    case 'mailDeliveries':
      return { queue: mailDelivery.queue, maxConcurrency: MAIL_QUEUE.defaultMaxConcurrency };
  }
}

/** The trigger of a function fed by `queue`: its settings' batch size at a time, failures reported per message. */
function eventSource(name: TriggerQueue, resources: Resources): SqsEventSource {
  const { queue, maxConcurrency } = triggerQueue(name, resources);
  return new SqsEventSource(queue, {
    batchSize: queueSettings(name).batchSize,
    reportBatchItemFailures: true,
    maxConcurrency,
  });
}

/**
 * An EventBridge rule's target invoking `fn` as the schedules do: retried, then left in `deadLetterQueue` if
 * EventBridge still cannot hand the event over.
 */
const ruleTarget = (fn: RegistryFunction, deadLetterQueue: IQueue): LambdaFunction =>
  new LambdaFunction(fn, {
    retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
    maxEventAge: SCHEDULE_MAX_EVENT_AGE,
    deadLetterQueue,
  });

/**
 * One Lambda per FUNCTIONS entry, granted exactly the table, audit log, key, bucket, queue, bus and SES access its
 * definition asks for, and invoked by the trigger it names; a function fed by the audit stream gets the queue its
 * failed batches are described in (`<Function>FailureQueue`). SES's reports reach theirs only where the deployment
 * sends mail through SES.
 */
export class RegistryFunctions extends Construct {
  public readonly byName: Readonly<Record<FunctionName, RegistryFunction>>;

  constructor(
    scope: Construct,
    id: string,
    {
      batchLimits = {},
      retentionDays,
      defaultMaxDescendants,
      lastSeenIntervalSeconds,
      expiryReminderDays,
      staleDeviceDays,
      sourceMaps,
      mailTemplates,
      ...resources
    }: RegistryFunctionsProps,
  ) {
    super(scope, id);
    const created = FUNCTION_NAMES.map(
      (name) => [name, this.createFunction(name, FUNCTIONS[name], resources, { sourceMaps, mailTemplates })] as const,
    );
    this.byName = Object.fromEntries(created) as Record<FunctionName, RegistryFunction>;
    // Both split files: the watchdog when an upload's event got lost.
    this.byName.batchSplitter.bindBatchLimits(batchLimits);
    this.byName.batchWatchdog.bindBatchLimits(batchLimits);
    if (retentionDays !== undefined) this.byName.jobRunner.addEnvironment(ENV.retentionDays, String(retentionDays));
    if (expiryReminderDays !== undefined) {
      this.byName.jobRunner.addEnvironment(ENV.expiryReminderDays, String(expiryReminderDays));
    }
    // The jobs function refuses a run of the job while it is off; the runner runs it.
    if (staleDeviceDays !== undefined) {
      for (const name of ['jobs', 'jobRunner'] as const) {
        this.byName[name].addEnvironment(ENV.staleDeviceDays, String(staleDeviceDays));
      }
    }
    if (defaultMaxDescendants !== undefined) {
      // Every function that reads invitations: a record written before allowances existed gets this one.
      for (const name of FUNCTION_NAMES.filter((name) => FUNCTIONS[name].table !== 'none')) {
        this.byName[name].addEnvironment(ENV.defaultMaxDescendants, String(defaultMaxDescendants));
      }
    }
    if (lastSeenIntervalSeconds !== undefined) {
      for (const name of FUNCTION_NAMES.filter((name) => (FUNCTIONS[name] as FunctionDefinition).validatesDevices)) {
        this.byName[name].addEnvironment(ENV.lastSeenIntervalSeconds, String(lastSeenIntervalSeconds));
      }
    }
  }

  /** Tells every function that writes it the URL devices register against. */
  bindRegistryUrl(registryUrl: string): void {
    for (const name of FUNCTION_NAMES.filter((name) => (FUNCTIONS[name] as FunctionDefinition).writesRegistryUrl)) {
      this.byName[name].addEnvironment(ENV.registryApiUrl, registryUrl);
    }
  }

  private createFunction(
    name: FunctionName,
    definition: FunctionDefinition,
    resources: Resources,
    bundling: Pick<RegistryFunctionProps, 'sourceMaps' | 'mailTemplates'>,
  ): RegistryFunction {
    const { data, storage, batchPipeline, jobs, webhookDeliveries, mailDelivery } = resources;
    const id = name.charAt(0).toUpperCase() + name.slice(1);
    const fn = new RegistryFunction(this, id, { definition, ...bundling });
    if (definition.table !== 'none') fn.bindTable(data.table, TABLE_ACCESS[definition.table]);
    if (definition.audit) fn.bindAuditTable(data.auditTable, definition.audit);
    if (definition.keys) fn.bindKeySecret(data.keySecret);
    if (definition.bucket) fn.bindBucket(storage.bucket, definition.bucket, ENV.bucketName);
    if (definition.auditArchive) {
      fn.bindBucket(storage.auditArchiveBucket, definition.auditArchive, ENV.auditArchiveBucketName);
    }
    if (definition.removesInputs) fn.bindInputRemoval(storage.bucket);
    if (definition.sendsRows) fn.bindQueue(batchPipeline.rowQueue, ENV.rowQueueUrl);
    for (const queue of definition.sendsJobs ?? []) fn.bindQueue(jobs.queueOf(queue), JOB_QUEUE_URL_VARIABLES[queue]);
    if (definition.publishesEvents) fn.bindEventBus(batchPipeline.eventBus);
    if (definition.webhookQueue === 'send') fn.bindQueue(webhookDeliveries.queue, ENV.webhookQueueUrl);
    // Its trigger lets it change its messages' visibility; it needs only the queue's URL to.
    if (definition.webhookQueue === 'retry') fn.addEnvironment(ENV.webhookQueueUrl, webhookDeliveries.queue.queueUrl);
    if (definition.mailQueue === 'send') fn.bindQueue(mailDelivery.queue, ENV.mailQueueUrl);
    if (definition.mailQueue === 'retry') fn.addEnvironment(ENV.mailQueueUrl, mailDelivery.queue.queueUrl);
    // Without a sender e-mail is off: no SES grant, and the mailer fails every message saying what to set.
    if (definition.sendsMail && mailDelivery.ses) fn.bindSesSending(mailDelivery.ses);

    if (definition.trigger?.kind === 'sqs') fn.addEventSource(eventSource(definition.trigger.queue, resources));
    if (definition.trigger?.kind === 'auditStream') {
      const failures = new SecureQueue(this, `${id}FailureQueue`, { retentionPeriod: DEAD_LETTER_RETENTION });
      fn.bindAuditStream(data.auditTable, failures);
    }
    if (definition.trigger?.kind === 's3') {
      for (const prefix of definition.trigger.prefixes) {
        storage.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { prefix });
      }
    }
    if (definition.trigger?.kind === 'schedule') {
      const { everyMinutes } = definition.trigger;
      new Rule(this, `${fn.node.id}Schedule`, {
        description: `${definition.description} (every ${everyMinutes} minutes)`,
        schedule: Schedule.rate(Duration.minutes(everyMinutes)),
        targets: [ruleTarget(fn, jobs.scheduleDeadLetterQueue)],
      });
    }
    if (definition.trigger?.kind === 'sesEvents' && mailDelivery.ses) {
      const { reportPattern, reportDeadLetterQueue } = mailDelivery.ses;
      new Rule(this, `${fn.node.id}Reports`, {
        description: definition.description,
        eventPattern: reportPattern,
        targets: [ruleTarget(fn, reportDeadLetterQueue)],
      });
    }
    return fn;
  }
}
