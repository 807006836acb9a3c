import { SCHEDULED_JOBS, type ScheduledJob } from '../lambdas/domain/job';
import { DEFAULT_RETRY_SCHEDULE_SECONDS, deliveryAttempts, parseRetrySchedule } from '../lambdas/domain/webhook';

/**
 * Resource definitions shared by the CDK stack and the embedded stack's bootstrap, so both build
 * the same table. Anything that must match between cloud and local lives here.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  indexes: IndexDefinition[];
  ttlAttribute: string;
  /** A DynamoDB stream of the table's changes, each record carrying the item as written (`NEW_IMAGE`). */
  stream?: 'NEW_IMAGE';
}

/**
 * Index partitions keyed by a parent or a batch are spread over this many shards
 * (`<parentId>#<shard>`), so a 100k-row batch under one parent never makes one hot partition.
 */
export const INDEX_SHARDS = 8;

export const REGISTRY_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: [
    { name: 'byParent', partitionKey: { name: 'parentShard', type: 'S' }, sortKey: { name: 'id', type: 'S' } },
    { name: 'byBatch', partitionKey: { name: 'batchShard', type: 'S' }, sortKey: { name: 'batchRow', type: 'N' } },
    /** Batches newest first. Only batch records carry `listKind`, and they change a few times in a batch's life. */
    { name: 'byKind', partitionKey: { name: 'listKind', type: 'S' }, sortKey: { name: 'id', type: 'S' } },
  ],
  ttlAttribute: 'ttl',
};

/**
 * The registry table's partition keys begin with the kind of item they hold (`INV#<id>`, `TOKEN#<hash>`…; the layout
 * is in `lambdas/adapters/items.ts`), so a function's grant can name the kinds it may touch (`dynamodb:LeadingKeys`).
 */
export const PARTITIONS = {
  /** An invitation, its devices and acceptances. */
  invitation: 'INV#',
  /** A token's lookup item. */
  token: 'TOKEN#',
  idempotency: 'IDEMP#',
  /** A batch, its counts and chunk results. */
  batch: 'BATCH#',
  /** The batch a dropped file started. */
  drop: 'DROP#',
  job: 'JOB#',
  /** Webhook endpoints (`HOOK#ENDPOINTS`) and each endpoint's deliveries (`HOOK#<id>`). */
  webhook: 'HOOK#',
} as const;

/**
 * The audit log (docs/SPEC.md §4.5), a table of its own so the functions can be granted PutItem and Query on it and
 * nothing else: append and read, never change or delete. Events spread over AUDIT_SHARDS partitions
 * (`AUDIT#<shard>`) sorted by event id (a ULID, so time order); `byTarget` finds a target's history. Its stream
 * feeds the audit publisher, which puts every new event on the event bus (docs/SPEC.md §4.8).
 */
export const AUDIT_TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  indexes: [{ name: 'byTarget', partitionKey: { name: 'targetId', type: 'S' }, sortKey: { name: 'sk', type: 'S' } }],
  ttlAttribute: 'ttl',
  stream: 'NEW_IMAGE',
};

/**
 * How the audit table's stream feeds the audit publisher: the event source mapping in AWS and the embedded stack's
 * stream poller both read these. Only new events (`INSERT` records) reach the function; the removals TTL makes are
 * left out.
 */
export const AUDIT_STREAM = {
  /** Records per invocation at most: ten PutEvents calls of ten events. */
  batchSize: 100,
  /** How long Lambda gathers records before it invokes the function (AWS; the embedded stack polls every 250 ms). */
  maxBatchingWindowSeconds: 1,
  /**
   * Retries of a batch the function did not publish whole, each from its first record not published, before the
   * batch is given up: in AWS its description goes to the on-failure queue, in the embedded stack to the log.
   */
  retryAttempts: 10,
  /** A batch whose invocation failed whole is retried in halves, so a record it fails on holds back few others. */
  bisectBatchOnError: true,
} as const;

export const AUDIT_SHARDS = 8;

/** Audit events stay this long in the table; the daily archive keeps them in the bucket beyond that. */
export const AUDIT_RETENTION_DAYS = 400;

/** Table names used by the embedded stack (AWS names them at deploy time). */
export const LOCAL_TABLE_NAME = 'prism-registry';
export const LOCAL_AUDIT_TABLE_NAME = 'prism-registry-audit';

/**
 * The registry bucket's prefixes: API uploads, files dropped by any S3 client, batch results, job inputs
 * and results (exports, device operations, emergency revocations), and the scheduled audit exports.
 */
export const BUCKET_PREFIXES = {
  uploads: 'uploads/',
  drop: 'drop/',
  results: 'results/',
  jobs: 'jobs/',
  audits: 'audits/',
} as const;

/**
 * The audit archive bucket's prefix: the daily audit-log archive, `audit-log/YYYY/MM/DD.ndjson` (docs/SPEC.md
 * §4.4), in a bucket of its own that only the archive job may write.
 */
export const AUDIT_ARCHIVE_PREFIXES = { auditLog: 'audit-log/' } as const;

/** Where batch CSVs arrive: uploads to a batch's presigned URL, and files dropped by any S3 client. */
export const BATCH_INPUT_PREFIXES = [BUCKET_PREFIXES.uploads, BUCKET_PREFIXES.drop] as const;

/** Job files hold secrets when an export asked for them: they expire from the bucket after this many days. */
export const JOB_FILES_RETENTION_DAYS = 7;

/** Expired invitations (and their devices) are removed this many days after they expire, unless configured. */
export const DEFAULT_RETENTION_DAYS = 90;

/** Results hold secrets (tokens, encoded invitations): they expire from the bucket after this many days. */
export const RESULTS_RETENTION_DAYS = 30;

/** Rows per queue message (the pipeline's chunk, a domain rule), and messages per SendMessageBatch call (SQS allows 10). */
export { ROWS_PER_MESSAGE } from '../lambdas/domain/batch';
export const MESSAGES_PER_SEND = 10;

/** The batch worker's timeout. */
export const WORKER_TIMEOUT_SECONDS = 300;

/**
 * The job runner's timeout: Lambda's most. A resumable job (a cascading revocation) hands over to a new invocation
 * before it; any other that outgrows it is retried from the start (jobs are idempotent).
 */
export const JOB_TIMEOUT_SECONDS = 900;

/** AWS's guidance: a queue's visibility timeout is at least six times the timeout of the function it feeds. */
export const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

/**
 * Batch inputs (`uploads/`, `drop/`) stay this long in the bucket; so does a version another object replaced,
 * which a batch that took it may still be reading.
 */
export const INPUT_RETENTION_DAYS = 30;

/** Dead-letter queues keep messages this long: longer than the row queue, so nothing expires on the way. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/** Retries of a failed asynchronous invocation (the splitter's S3 events), as Lambda makes them. */
export const ASYNC_RETRY_ATTEMPTS = 2;

/**
 * The row queue is FIFO: each batch's chunks go round its `concurrency` lanes (message groups), which SQS
 * serves one message at a time, so a batch never has more chunks in flight than its concurrency and a chunk
 * waiting for its lane is never received (see `chunkEnvelope`).
 */
export const ROW_QUEUE = {
  fifo: true,
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Messages handed to one worker invocation. */
  batchSize: 5,
  /** Worker invocations at once (the event source's maximum concurrency); CDK context can change it. */
  defaultMaxConcurrency: 5,
  retentionDays: 4,
} as const;

export const JOB_QUEUE = {
  fifo: false,
  /** Deliveries before a job message moves to the dead-letter queue (the job is then marked failed). */
  maxReceiveCount: 3,
  /** One job per invocation: each may take the runner's whole timeout. */
  batchSize: 1,
  defaultMaxConcurrency: 2,
  retentionDays: 4,
} as const;

/**
 * The webhook delivery queue: one message per (endpoint, event). A failed attempt keeps its message out of sight
 * until the retry schedule's next step (ChangeMessageVisibility); the queue moves it to its dead-letter queue once
 * it has been received as many times as the schedule gives attempts (`webhookQueueSettings`).
 */
export const WEBHOOK_QUEUE = {
  fifo: false,
  /** Deliveries handed to one sender invocation, sent side by side. */
  batchSize: 10,
  defaultMaxConcurrency: 5,
  /** Longer than the whole retry schedule (over 27 hours by default). */
  retentionDays: 4,
} as const;

/**
 * The retry schedule of webhook deliveries in seconds (`REGISTRY_WEBHOOK_RETRY_SCHEDULE`, comma-separated, else
 * Standard Webhooks' recommendation), as the sender and the queue's redrive must both read it.
 */
export function webhookRetrySchedule(env: NodeJS.ProcessEnv = process.env): number[] {
  const configured = env[ENV.webhookRetrySchedule];
  if (configured === undefined || configured === '') return [...DEFAULT_RETRY_SCHEDULE_SECONDS];
  try {
    return parseRetrySchedule(configured);
  } catch (error) {
    throw new Error(`Environment variable ${ENV.webhookRetrySchedule} ${(error as Error).message}`);
  }
}

/** WEBHOOK_QUEUE with its redrive: received once per attempt the schedule gives, then dead-lettered. */
export const webhookQueueSettings = (schedule: readonly number[] = webhookRetrySchedule()) => ({
  ...WEBHOOK_QUEUE,
  maxReceiveCount: deliveryAttempts(schedule),
});

/**
 * The mail queue (docs/SPEC.md §4.8): one message per e-mail. A failed attempt keeps its message out of sight until
 * the next step of MAIL_RETRY_SCHEDULE_SECONDS; after the last, the message is answered failed and the queue moves it
 * to its dead-letter queue (`mailQueueSettings`).
 */
export const MAIL_QUEUE = {
  fifo: false,
  /** Messages handed to one mailer invocation, sent one after another. */
  batchSize: 10,
  /**
   * Mailer invocations at once: the least an SQS event source allows. E-mail is background work: it must not take
   * the capacity a batch's rows need (on one machine the CPU, in AWS the table's throughput), and SES accounts start
   * at 14 messages a second.
   */
  defaultMaxConcurrency: 2,
  retentionDays: 4,
} as const;

/** Seconds between a mail's attempts: about two hours in all before it is given up as `failed`. */
export const MAIL_RETRY_SCHEDULE_SECONDS: readonly number[] = [30, 120, 600, 1800, 3600];

/** MAIL_QUEUE with its redrive: received once per attempt the schedule gives, then dead-lettered. */
export const mailQueueSettings = () => ({
  ...MAIL_QUEUE,
  maxReceiveCount: deliveryAttempts(MAIL_RETRY_SCHEDULE_SECONDS),
});

/**
 * What SES publishes on the account's default event bus for a configuration set's messages (an EventBridge event
 * destination): the detail types the mail-events function takes, each with the delivery status it records.
 */
export const SES_EVENTS = {
  source: 'aws.ses',
  statusByDetailType: {
    'Email Delivered': 'delivered',
    'Email Bounced': 'bounced',
    'Email Complaint Received': 'complained',
    'Email Rejected': 'failed',
    'Email Rendering Failed': 'failed',
  },
} as const;

/** The SES message tag that names the invitation a message is for (SES reports back with its tags). */
export const SES_INVITATION_TAG = 'invitation';

/** The domain's scheduled jobs, which the schedules below are keyed by. */
export { SCHEDULED_JOBS, type ScheduledJob };

/** A UTC schedule in cron terms; unset fields mean "every". `weekDay`: 0 = Sunday. */
export interface Schedule {
  minute: number;
  hour: number;
  day?: number;
  weekDay?: number;
  description: string;
}

/** The seeds' crontab, in UTC. EventBridge rules in AWS and the embedded stack's scheduler both read it. */
export const SCHEDULES: Record<ScheduledJob, Schedule> = {
  'invitation-audit': { minute: 0, hour: 0, description: 'Daily 00:00: audits/YYYY-MM-DD/invitations.csv' },
  'device-audit': { minute: 0, hour: 1, weekDay: 0, description: 'Sundays 01:00: audits/YYYY-MM-DD/devices.csv' },
  'expired-cleanup': { minute: 0, hour: 2, day: 1, description: 'The 1st of each month 02:00: expired cleanup' },
  'audit-archive': { minute: 30, hour: 0, description: "Daily 00:30: the previous day's audit events as NDJSON" },
  'expiry-reminders': {
    minute: 0,
    hour: 3,
    description: 'Daily 03:00: an invitation.expiring event for each invitation that expires within the reminder days',
  },
  'stale-devices': {
    minute: 0,
    hour: 4,
    description: 'Daily 04:00: revokes the devices not seen for the stale-device days',
  },
};

/**
 * Scheduled jobs that are off until the deployment gives them their figure, each with the setting it needs: CDK
 * leaves their rule disabled and the embedded stack's scheduler skips them while it is unset, and a run asked for
 * is refused.
 */
export const OFF_UNLESS_SET: Partial<Record<ScheduledJob, 'staleDeviceDays'>> = { 'stale-devices': 'staleDeviceDays' };

/** How often the batch watchdog looks for batches that stopped moving (an EventBridge rate in AWS). */
export const BATCH_WATCHDOG_EVERY_MINUTES = 5;

/** Attempts EventBridge makes to deliver a scheduled run before it goes to the schedules' dead-letter queue. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;

/** Names the embedded stack gives what AWS names at deploy time. */
export const LOCAL_NAMES = {
  bucket: 'prism-registry-local',
  auditArchiveBucket: 'prism-registry-audit-archive-local',
  rowQueue: 'prism-registry-rows.fifo',
  rowDeadLetterQueue: 'prism-registry-rows-dlq.fifo',
  jobQueue: 'prism-registry-jobs',
  jobDeadLetterQueue: 'prism-registry-jobs-dlq',
  archiveJobQueue: 'prism-registry-archive-jobs',
  webhookQueue: 'prism-registry-webhooks',
  webhookDeadLetterQueue: 'prism-registry-webhooks-dlq',
  mailQueue: 'prism-registry-mail',
  mailDeadLetterQueue: 'prism-registry-mail-dlq',
  eventBus: 'prism-registry',
} as const;

/**
 * Events the registry publishes to its EventBridge bus: `BatchCompleted`, and every audit event with its action as
 * the detail type (docs/SPEC.md §4.8).
 */
export const EVENTS = { source: 'prism.registry', batchCompleted: 'BatchCompleted' } as const;

/** What one PutEvents call may carry: 10 entries, 256 KiB of them all together. */
export const PUT_EVENTS_LIMITS = { entries: 10, bytes: 256 * 1024 } as const;

/** PutEvents calls the audit publisher makes for the events the bus refused, before it leaves them to a retry. */
export const PUBLISH_ATTEMPTS = 3;

/** Environment variables the functions read (see `lambdas/config.ts`). */
export const ENV = {
  tableName: 'REGISTRY_TABLE',
  auditTableName: 'REGISTRY_AUDIT_TABLE',
  keysSecretArn: 'REGISTRY_KEYS_SECRET_ARN',
  keysFile: 'REGISTRY_KEYS_FILE',
  /** The URL devices register against, written into encoded invitations: configured, never from a request. */
  registryApiUrl: 'REGISTRY_API_URL',
  bucketName: 'REGISTRY_BUCKET',
  auditArchiveBucketName: 'REGISTRY_AUDIT_ARCHIVE_BUCKET',
  rowQueueUrl: 'REGISTRY_ROW_QUEUE_URL',
  jobQueueUrl: 'REGISTRY_JOB_QUEUE_URL',
  archiveJobQueueUrl: 'REGISTRY_ARCHIVE_JOB_QUEUE_URL',
  /** Days expired invitations are kept before removal (default DEFAULT_RETENTION_DAYS). */
  retentionDays: 'REGISTRY_RETENTION_DAYS',
  eventBusName: 'REGISTRY_EVENT_BUS',
  /** File-level limits of a batch CSV (defaults: 1,000,000 data rows, 256 MiB). */
  batchMaxRows: 'REGISTRY_BATCH_MAX_ROWS',
  batchMaxBytes: 'REGISTRY_BATCH_MAX_BYTES',
  /** The allowance of an invitation created without `maxDescendants` (default 10,000). */
  defaultMaxDescendants: 'REGISTRY_DEFAULT_MAX_DESCENDANTS',
  /** Seconds a device's `lastSeenAt` may lag its latest validation (default 300). */
  lastSeenIntervalSeconds: 'REGISTRY_LAST_SEEN_INTERVAL_SECONDS',
  /** Days before an invitation's expiry that `expiry-reminders` announces it (default 7). */
  expiryReminderDays: 'REGISTRY_EXPIRY_REMINDER_DAYS',
  /** Days unseen after which `stale-devices` revokes a device; unset, the job is off. */
  staleDeviceDays: 'REGISTRY_STALE_DEVICE_DAYS',
  webhookQueueUrl: 'REGISTRY_WEBHOOK_QUEUE_URL',
  /** Seconds between a webhook delivery's attempts, comma-separated (default 5,300,1800,7200,18000,36000,36000). */
  webhookRetrySchedule: 'REGISTRY_WEBHOOK_RETRY_SCHEDULE',
  mailQueueUrl: 'REGISTRY_MAIL_QUEUE_URL',
  /** The address invitations are e-mailed from: an SES verified identity in AWS. */
  mailFrom: 'REGISTRY_MAIL_FROM',
  /** The SES configuration set whose events report deliveries, bounces and complaints (AWS). */
  sesConfigurationSet: 'REGISTRY_SES_CONFIGURATION_SET',
  /** An SMTP URL (`smtp://127.0.0.1:1025`): mail goes there instead of SES (the embedded stack's mail catcher). */
  smtpUrl: 'REGISTRY_SMTP_URL',
  /** The folder of the mail templates (`invitation.txt`, `reminder.txt`): the mailer's bundle's, or the project's. */
  mailTemplates: 'REGISTRY_MAIL_TEMPLATES',
  /** `true` lets webhooks use `http` to loopback hosts (the embedded stack; never set in AWS). */
  webhooksAllowLoopback: 'REGISTRY_WEBHOOKS_ALLOW_LOOPBACK',
} as const;
