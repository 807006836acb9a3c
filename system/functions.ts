import { type JobQueue, jobQueueOf } from './job-queues';
import {
  AUDIT_ARCHIVE_PREFIXES,
  BATCH_INPUT_PREFIXES,
  BATCH_WATCHDOG_EVERY_MINUTES,
  BUCKET_PREFIXES,
  JOB_QUEUE,
  MAIL_QUEUE,
  PARTITIONS,
  JOB_TIMEOUT_SECONDS,
  ROW_QUEUE,
  VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT,
  WEBHOOK_QUEUE,
  WORKER_TIMEOUT_SECONDS,
} from './resources';

/** A prefix of the registry bucket (BUCKET_PREFIXES). */
export type BucketPrefix = (typeof BUCKET_PREFIXES)[keyof typeof BUCKET_PREFIXES];

/** A prefix of the audit archive bucket (AUDIT_ARCHIVE_PREFIXES). */
export type AuditArchivePrefix = (typeof AUDIT_ARCHIVE_PREFIXES)[keyof typeof AUDIT_ARCHIVE_PREFIXES];

/**
 * What a function may do with a bucket's objects, by key prefix: nothing outside the prefixes it names. A presigned
 * URL is signed with the function's own role, so handing one out takes the access it hands on.
 */
export interface BucketAccess<Prefix extends string = BucketPrefix> {
  /** Objects it reads (GetObject, HeadObject), or hands out download URLs of. */
  read?: readonly Prefix[];
  /** It reads given versions of those objects (GetObjectVersion): a batch's file as it arrived. */
  readsVersions?: true;
  /** Objects it writes (PutObject), or hands out upload URLs for. */
  write?: readonly Prefix[];
  /** It streams what it writes in multipart uploads, and aborts one it gives up on (AbortMultipartUpload). */
  writesMultipart?: true;
  /**
   * It must tell a missing object from one it may not read (s3:ListBucket on the bucket): S3 answers a GET or
   * HEAD of a missing object 404 only to a caller that may list the bucket, and 403 to any other. An `s3:prefix`
   * condition narrows listing requests only, which a GET or HEAD is not, so this grant has none.
   */
  findsMissing?: true;
}

/**
 * A DynamoDB item action. A transaction (TransactWriteItems) is authorized item by item: PutItem, UpdateItem,
 * DeleteItem or ConditionCheckItem on each item it names.
 */
export type ItemAction =
  'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'ConditionCheckItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/** The actions that read an index; any other acts on the table's own items. */
export const INDEX_ACTIONS: readonly ItemAction[] = ['Query', 'Scan'];

/** What a function may do with the registry table. */
export interface TableAccess {
  actions: readonly ItemAction[];
  /** Its queries and scans may read the table's indexes. */
  indexes?: true;
  /** Only items whose partition key begins with one of these (PARTITIONS), by `dynamodb:LeadingKeys`. */
  partitions?: readonly string[];
}

const READS: readonly ItemAction[] = ['GetItem', 'BatchGetItem', 'Query', 'Scan'];

/** A token's lookup item, then its invitation (with ancestors and devices): what a recipient's token opens. */
const TOKEN_HOLDER_PARTITIONS = [PARTITIONS.token, PARTITIONS.invitation];

/**
 * The registry table access levels a function can be given, each the item actions its code paths make, no more.
 * The recipient levels read and write by key the token lookup items and invitation partitions alone: no scan, no
 * delete, no batch, job or idempotency item.
 */
const TABLE_ACCESS_LEVELS = {
  /** Any item, by key, query (indexes too) or scan: the administrator's listings. */
  read: { actions: READS, indexes: true },
  /** Any item, read or written, conditional writes and transactions (a token rotation deletes the old lookup item). */
  write: { actions: [...READS, 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem'], indexes: true },
  /** The authorizer: a token's lookup item and its invitation, by key. */
  tokenLookup: { actions: ['GetItem'], partitions: TOKEN_HOLDER_PARTITIONS },
  /**
   * Accepting an encoded invitation: the token's invitation with its ancestors and the device (GetItem,
   * BatchGetItem); registering the device (PutItem, UpdateItem of the invitation's count, or of the device when
   * it checks in again) and recording the acceptance, each while the invitation and its ancestors are still
   * usable (ConditionCheckItem).
   */
  acceptance: {
    actions: ['GetItem', 'BatchGetItem', 'ConditionCheckItem', 'PutItem', 'UpdateItem'],
    partitions: TOKEN_HOLDER_PARTITIONS,
  },
  /**
   * The reference client's registry contract: what acceptance does with a device, and listing an invitation's
   * devices (a Query of its own partition) to show or revoke them (UpdateItem).
   */
  deviceRegistry: {
    actions: ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem'],
    partitions: TOKEN_HOLDER_PARTITIONS,
  },
  /** Job records alone, by key: recording a scheduled run, starting and ending a job. */
  jobRecords: { actions: ['GetItem', 'PutItem', 'UpdateItem'], partitions: [PARTITIONS.job] },
  /** Webhook endpoints, created, listed and removed, and their deliveries, listed and (a test) recorded. */
  webhookAdmin: { actions: ['GetItem', 'Query', 'PutItem', 'DeleteItem'], partitions: [PARTITIONS.webhook] },
  /** The endpoints, listed, and a delivery recorded for each event an endpoint subscribes to. */
  webhookDispatch: { actions: ['Query', 'PutItem'], partitions: [PARTITIONS.webhook] },
  /** An endpoint, read, and its delivery's attempts, recorded. */
  webhookSend: { actions: ['GetItem', 'UpdateItem'], partitions: [PARTITIONS.webhook] },
  /** An invitation, read to mail it, and its `delivery` status, recorded (with its audit event, in a transaction). */
  mailDelivery: { actions: ['GetItem', 'UpdateItem'], partitions: [PARTITIONS.invitation] },
} as const satisfies Record<string, TableAccess>;

export type TableAccessLevel = keyof typeof TABLE_ACCESS_LEVELS;

export const TABLE_ACCESS: Readonly<Record<TableAccessLevel, TableAccess>> = TABLE_ACCESS_LEVELS;

/**
 * Every Lambda function of the registry and what it may touch. CDK grants exactly this access;
 * the embedded stack loads the same entries.
 */
export interface FunctionDefinition {
  entry: string;
  description: string;
  /** Its access to the registry table (TABLE_ACCESS). */
  table: 'none' | TableAccessLevel;
  /**
   * The audit log: `append` (PutItem only: every registry write carries its event), `read` (Query), or both.
   * Nothing may update or delete an event.
   */
  audit?: 'append' | 'read' | 'appendRead';
  /** Needs the HMAC key ring (derives tokens or signs/verifies encoded invitations). */
  keys: boolean;
  timeoutSeconds: number;
  memoryMb: number;
  /** Access to the registry bucket's objects, by prefix. */
  bucket?: BucketAccess;
  /** Access to the audit archive bucket's objects, by prefix: only the archive job may write there. */
  auditArchive?: BucketAccess<AuditArchivePrefix>;
  /** Removes batch inputs refused on arrival (a file over the size limit), and no other object. */
  removesInputs?: boolean;
  /** Sends chunks of rows to the row queue. */
  sendsRows?: boolean;
  /** Sends job messages to these job queues (`jobQueueOf` says which a job goes to). */
  sendsJobs?: readonly JobQueue[];
  /** Puts events on the registry's event bus. */
  publishesEvents?: boolean;
  /**
   * The webhook delivery queue: `send` queues deliveries on it (SendMessage); `retry`, its consumer, keeps a
   * failed delivery out of sight until its next attempt (ChangeMessageVisibility, which its trigger grants).
   */
  webhookQueue?: 'send' | 'retry';
  /** Sends requests to webhook endpoints (through the address checks of `lambdas/adapters/webhook-http.ts`). */
  postsWebhooks?: boolean;
  /**
   * The mail queue: `send` queues e-mails on it (SendMessage); `retry`, its consumer, keeps a failed one out of sight
   * until its next attempt (ChangeMessageVisibility, which its trigger grants).
   */
  mailQueue?: 'send' | 'retry';
  /**
   * Sends e-mail: through SES (ses:SendEmail, from the configured identity and configuration set alone), or SMTP where
   * REGISTRY_SMTP_URL names a server (the embedded stack's mail catcher).
   */
  sendsMail?: boolean;
  /**
   * Is told the URL devices register against (REGISTRY_API_URL), which it writes into what it hands out: encoded
   * invitations, the batches it starts (their results encode with it), the OpenAPI document.
   */
  writesRegistryUrl?: boolean;
  /**
   * Validates devices, moving their `lastSeenAt` at most once per interval: it is told the interval
   * (REGISTRY_LAST_SEEN_INTERVAL_SECONDS) where a deployment sets one.
   */
  validatesDevices?: boolean;
  /**
   * What invokes it besides the API: object-created events under prefixes, a queue, a schedule, the audit table's
   * stream (AUDIT_STREAM), which it may then read, or SES's reports on the registry's mail (SES_EVENTS, in AWS only).
   */
  trigger?:
    | { kind: 's3'; prefixes: readonly string[] }
    | { kind: 'sqs'; queue: TriggerQueue }
    | { kind: 'schedule'; everyMinutes: number }
    | { kind: 'auditStream' }
    | { kind: 'sesEvents' };
}

/**
 * What splitting a batch file takes: reading it (or removing it, when it is refused on arrival), recording the
 * batch's progress, sending its rows; a file dropped in the bucket starts a batch of its own.
 */
const SPLITS_FILES = {
  table: 'write',
  audit: 'append',
  keys: false,
  timeoutSeconds: 900,
  memoryMb: 1024,
  // The event or the batch names the version; a dropped file's sidecar `<key>.json` is usually missing.
  bucket: { read: BATCH_INPUT_PREFIXES, readsVersions: true, findsMissing: true },
  removesInputs: true,
  sendsRows: true,
  writesRegistryUrl: true,
} as const;

/**
 * What starting batches and handing out their results takes: a CSV sent inline, or the upload URL it goes to, under
 * `uploads/`; the results, inline or through a download link. No listing: expired results are told by their age.
 */
const STARTS_BATCHES = {
  read: [BUCKET_PREFIXES.results],
  write: [BUCKET_PREFIXES.uploads],
} as const satisfies BucketAccess;

export const FUNCTIONS = {
  invitationsCreate: {
    entry: 'lambdas/handlers/invitations-create.ts',
    description: 'Creates invitations (administrator)',
    table: 'write',
    audit: 'append',
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
    writesRegistryUrl: true,
  },
  invitationsRead: {
    entry: 'lambdas/handlers/invitations-read.ts',
    description: 'Lists and reads invitations and their devices (administrator)',
    table: 'read',
    keys: false,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  invitationsManage: {
    entry: 'lambdas/handlers/invitations-manage.ts',
    description: 'Revokes and rotates invitations, revokes devices, starts cascading revocations (administrator)',
    table: 'write',
    audit: 'append',
    keys: true,
    timeoutSeconds: 29,
    memoryMb: 512,
    // A cascading revocation.
    sendsJobs: ['jobs'],
    writesRegistryUrl: true,
  },
  accept: {
    entry: 'lambdas/handlers/accept.ts',
    description: 'Accepts an encoded invitation and registers the device (recipient)',
    table: 'acceptance',
    audit: 'append',
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  registry: {
    entry: 'lambdas/handlers/registry.ts',
    description: "The reference client's device registry contract (recipient)",
    table: 'deviceRegistry',
    audit: 'append',
    keys: false,
    timeoutSeconds: 10,
    memoryMb: 512,
    validatesDevices: true,
  },
  delegate: {
    entry: 'lambdas/handlers/delegate.ts',
    description: 'Sub-invitations and batches created by invitation holders (delegate)',
    table: 'write',
    audit: 'append',
    keys: true,
    timeoutSeconds: 29,
    memoryMb: 512,
    bucket: STARTS_BATCHES,
    writesRegistryUrl: true,
  },
  batches: {
    entry: 'lambdas/handlers/batches.ts',
    description:
      'Starts batches (presigned upload or inline CSV) and reports their progress and results (administrator)',
    table: 'write',
    audit: 'append',
    keys: false,
    timeoutSeconds: 29,
    memoryMb: 512,
    bucket: STARTS_BATCHES,
    writesRegistryUrl: true,
  },
  batchSplitter: {
    entry: 'lambdas/handlers/batch-splitter.ts',
    description: 'Streams an uploaded or dropped CSV from S3 and sends its rows to the row queue in chunks',
    ...SPLITS_FILES,
    trigger: { kind: 's3', prefixes: BATCH_INPUT_PREFIXES },
  },
  batchWorker: {
    entry: 'lambdas/handlers/batch-worker.ts',
    description: 'Creates the invitations of row chunks and writes the results CSV when a batch is done',
    table: 'write',
    audit: 'append',
    keys: true,
    timeoutSeconds: WORKER_TIMEOUT_SECONDS,
    memoryMb: 1024,
    bucket: { write: [BUCKET_PREFIXES.results], writesMultipart: true },
    sendsRows: true,
    publishesEvents: true,
    trigger: { kind: 'sqs', queue: 'rows' },
  },
  batchDeadLetters: {
    entry: 'lambdas/handlers/batch-dead-letters.ts',
    description: 'Marks the rows of messages that kept failing as Failed, so no batch is left hanging',
    table: 'write',
    audit: 'append',
    keys: false,
    timeoutSeconds: 60,
    memoryMb: 512,
    sendsRows: true,
    trigger: { kind: 'sqs', queue: 'rowDeadLetters' },
  },
  batchWatchdog: {
    entry: 'lambdas/handlers/batch-watchdog.ts',
    description:
      'Sets going again batches that stopped moving (a lost upload event, a split cut short, results not written) and reports them',
    // It splits what the splitter did not.
    ...SPLITS_FILES,
    // Failing a batch whose file is gone announces it.
    publishesEvents: true,
    trigger: { kind: 'schedule', everyMinutes: BATCH_WATCHDOG_EVERY_MINUTES },
  },
  jobs: {
    entry: 'lambdas/handlers/jobs.ts',
    description: 'Starts exports, device operations, emergency revocations and scheduled jobs; reports their progress',
    table: 'write',
    audit: 'append',
    keys: false,
    timeoutSeconds: 29,
    memoryMb: 512,
    // A device-operations job's input CSV; download links to the result files of jobs, the archive's included.
    bucket: { read: [BUCKET_PREFIXES.jobs, BUCKET_PREFIXES.audits], write: [BUCKET_PREFIXES.jobs] },
    auditArchive: { read: [AUDIT_ARCHIVE_PREFIXES.auditLog] },
    // Runs of the audit archive on demand go to its own queue.
    sendsJobs: ['jobs', 'archiveJobs'],
  },
  jobRunner: {
    entry: 'lambdas/handlers/job-runner.ts',
    description:
      'Runs jobs: exports, device operations, emergency revoke-all, cascading revocations, audits, expired cleanup',
    table: 'write',
    audit: 'appendRead',
    keys: true,
    timeoutSeconds: JOB_TIMEOUT_SECONDS,
    memoryMb: 1024,
    // Device operations read their input CSV; exports, device operations and the audits write files.
    bucket: {
      read: [BUCKET_PREFIXES.jobs],
      write: [BUCKET_PREFIXES.jobs, BUCKET_PREFIXES.audits],
      writesMultipart: true,
    },
    // The expired cleanup fails batches whose upload never arrived, which announces them.
    publishesEvents: true,
    // A job that hands over to the next invocation sends its own message again.
    sendsJobs: ['jobs'],
    // Invitation exports with their encoded form.
    writesRegistryUrl: true,
    trigger: { kind: 'sqs', queue: 'jobs' },
  },
  auditArchiver: {
    entry: 'lambdas/handlers/audit-archiver.ts',
    description:
      "Runs the audit archive: the previous day's audit events to the audit archive bucket, which no other function may write",
    // Its job's record; the events it archives and those of its run.
    table: 'jobRecords',
    audit: 'appendRead',
    keys: false,
    timeoutSeconds: JOB_TIMEOUT_SECONDS,
    memoryMb: 512,
    auditArchive: { write: [AUDIT_ARCHIVE_PREFIXES.auditLog], writesMultipart: true },
    trigger: { kind: 'sqs', queue: 'archiveJobs' },
  },
  jobDeadLetters: {
    entry: 'lambdas/handlers/job-dead-letters.ts',
    description: 'Marks the jobs whose messages kept failing as failed, so none is left running',
    table: 'jobRecords',
    audit: 'append',
    keys: false,
    timeoutSeconds: 60,
    memoryMb: 256,
    trigger: { kind: 'sqs', queue: 'jobDeadLetters' },
  },
  auditPublisher: {
    entry: 'lambdas/handlers/audit-publisher.ts',
    description:
      'Publishes every new audit event on the event bus, without secrets or e-mail addresses, from the audit table stream',
    // The stream hands it the events: it reads neither table.
    table: 'none',
    keys: false,
    timeoutSeconds: 60,
    memoryMb: 256,
    publishesEvents: true,
    trigger: { kind: 'auditStream' },
  },
  webhooks: {
    entry: 'lambdas/handlers/webhooks.ts',
    description: 'Manages webhook endpoints, sends them test events and lists their deliveries (administrator)',
    table: 'webhookAdmin',
    audit: 'append',
    // Seals a new endpoint's signing secret.
    keys: true,
    timeoutSeconds: 10,
    memoryMb: 512,
    webhookQueue: 'send',
  },
  eventDispatcher: {
    entry: 'lambdas/handlers/event-dispatcher.ts',
    description:
      'Queues a delivery of every new audit event to each webhook endpoint subscribed to its action, and the e-mails events ask for, from the audit table stream',
    table: 'webhookDispatch',
    keys: false,
    timeoutSeconds: 60,
    memoryMb: 256,
    webhookQueue: 'send',
    mailQueue: 'send',
    trigger: { kind: 'auditStream' },
  },

  webhookSender: {
    entry: 'lambdas/handlers/webhook-sender.ts',
    description:
      'Sends queued webhook deliveries, signed (Standard Webhooks) or as Slack messages, to public addresses only; retries on a schedule',
    table: 'webhookSend',
    // Opens an endpoint's signing secret.
    keys: true,
    timeoutSeconds: 30,
    memoryMb: 256,
    webhookQueue: 'retry',
    postsWebhooks: true,
    trigger: { kind: 'sqs', queue: 'webhookDeliveries' },
  },
  mailer: {
    entry: 'lambdas/handlers/mailer.ts',
    description:
      'E-mails queued invitations and expiry reminders (SES, or SMTP to the embedded mail catcher); retries on a schedule',
    table: 'mailDelivery',
    audit: 'append',
    // Derives the token and signs the encoded invitation it mails.
    keys: true,
    timeoutSeconds: 30,
    memoryMb: 256,
    mailQueue: 'retry',
    sendsMail: true,
    writesRegistryUrl: true,
    trigger: { kind: 'sqs', queue: 'mailDeliveries' },
  },
  mailEvents: {
    entry: 'lambdas/handlers/mail-events.ts',
    description: "Records SES's delivery, bounce and complaint reports on the invitations they are for",
    table: 'mailDelivery',
    audit: 'append',
    keys: false,
    timeoutSeconds: 30,
    memoryMb: 256,
    trigger: { kind: 'sesEvents' },
  },
  audit: {
    entry: 'lambdas/handlers/audit.ts',
    description: 'Reads the audit log (administrator)',
    table: 'none',
    audit: 'read',
    keys: false,
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  authorizer: {
    entry: 'lambdas/handlers/authorizer.ts',
    description: 'Authorizes delegates by invitation token (and device)',
    table: 'tokenLookup',
    keys: false,
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  health: {
    entry: 'lambdas/handlers/health.ts',
    description: 'Liveness answer with no dependencies',
    table: 'none',
    keys: false,
    timeoutSeconds: 3,
    memoryMb: 128,
  },
  openapi: {
    entry: 'lambdas/handlers/openapi.ts',
    description: 'Serves the OpenAPI document built from the route table',
    table: 'none',
    keys: false,
    timeoutSeconds: 5,
    memoryMb: 256,
    writesRegistryUrl: true,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof FUNCTIONS;

/**
 * The queues functions are fed by. The archive job queue's dead letters go to the job dead-letter queue, whose
 * handler fails any job.
 */
export type TriggerQueue =
  'rows' | 'rowDeadLetters' | 'jobDeadLetters' | 'webhookDeliveries' | 'mailDeliveries' | JobQueue;

export { type JobQueue, jobQueueOf };

/** The settings of the queue family a trigger queue belongs to: its batch size and concurrency. */
export const queueSettings = (
  queue: TriggerQueue,
): typeof ROW_QUEUE | typeof JOB_QUEUE | typeof WEBHOOK_QUEUE | typeof MAIL_QUEUE =>
  queue === 'rows' || queue === 'rowDeadLetters'
    ? ROW_QUEUE
    : queue === 'webhookDeliveries'
      ? WEBHOOK_QUEUE
      : queue === 'mailDeliveries'
        ? MAIL_QUEUE
        : JOB_QUEUE;

/** A queue's visibility timeout: VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT times its slowest consumer's timeout. */
export function queueVisibilityTimeoutSeconds(queue: TriggerQueue): number {
  const consumers = Object.values<FunctionDefinition>(FUNCTIONS).filter(
    ({ trigger }) => trigger?.kind === 'sqs' && trigger.queue === queue,
  );
  return VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT * Math.max(...consumers.map(({ timeoutSeconds }) => timeoutSeconds));
}

/**
 * The AWS adapters a function's bundle holds only when its definition grants what they reach, each with the
 * expression CDK's bundling replaces by `"false"` where it does not (`lambdas/adapters/composition.ts` tests each
 * one literally, so esbuild leaves out the adapter and what only it uses). Unbundled, as in tests and the embedded
 * stack, the expressions are unset and every adapter is there.
 */
export const OPTIONAL_CLIENTS = {
  dynamoDb: {
    flag: 'process.env.PRISM_BUNDLES_DYNAMODB',
    usedBy: (definition: FunctionDefinition) => definition.table !== 'none' || definition.audit !== undefined,
  },
  s3: {
    flag: 'process.env.PRISM_BUNDLES_S3',
    usedBy: (definition: FunctionDefinition) =>
      Boolean(definition.bucket || definition.auditArchive || definition.removesInputs),
  },
  sqs: {
    flag: 'process.env.PRISM_BUNDLES_SQS',
    usedBy: (definition: FunctionDefinition) =>
      Boolean(definition.sendsRows || definition.sendsJobs || definition.webhookQueue || definition.mailQueue),
  },
  eventBridge: {
    flag: 'process.env.PRISM_BUNDLES_EVENTBRIDGE',
    usedBy: (definition: FunctionDefinition) => Boolean(definition.publishesEvents),
  },
  secretsManager: {
    flag: 'process.env.PRISM_BUNDLES_SECRETS_MANAGER',
    usedBy: (definition: FunctionDefinition) => definition.keys,
  },
  /** Not an AWS client: the webhook requests and their address checks (`ipaddr.js`, `node:https`, `node:dns`). */
  webhookHttp: {
    flag: 'process.env.PRISM_BUNDLES_WEBHOOK_HTTP',
    usedBy: (definition: FunctionDefinition) => Boolean(definition.postsWebhooks),
  },
  /** SES's v2 API. */
  ses: {
    flag: 'process.env.PRISM_BUNDLES_SES',
    usedBy: (definition: FunctionDefinition) => Boolean(definition.sendsMail),
  },
  /** The SMTP sender (nodemailer): the embedded stack's alone, so never in a deployed function. */
  smtp: {
    flag: 'process.env.PRISM_BUNDLES_SMTP',
    usedBy: () => false,
  },
} as const;

/** What bundling defines for a function: `"false"` for each optional client its definition never uses. */
export const leftOutClients = (definition: FunctionDefinition): Record<string, string> =>
  Object.fromEntries(
    Object.values(OPTIONAL_CLIENTS)
      .filter(({ usedBy }) => !usedBy(definition))
      .map(({ flag }) => [flag, '"false"']),
  );
