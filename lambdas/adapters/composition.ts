import { monotonicFactory } from 'ulid';
import { config } from '../config';
import { MailRefused, type MailSender } from '../ports/mail';
import type { Deps } from '../usecases/deps';
import { AuditLog } from './audit-log';
import { BatchStore } from './batch-store';
import { EventBridgePublisher } from './event-bus';
import { SqsJobQueue } from './job-queue';
import { JobStore } from './job-store';
import { keyRing } from './key-ring';
import { CONFIGURED_BUCKETS, S3ObjectStore } from './objects';
import { RegistryScan } from './registry-scan';
import { RegistryStore } from './registry-store';
import { SqsRowQueue } from './row-queue';
import { SqsRetryQueue } from './retry-queue';
import { templatesIn } from './mail-templates';
import { sesSender } from './ses-sender';
import { smtpSender } from './smtp-sender';
import { webhookHttp } from './webhook-http';
import { WebhookStore } from './webhook-store';

type Builders<T> = { [K in keyof T]: () => T[K] };

/**
 * An object whose members are built when first used, then kept: a function reads only the configuration of
 * what it uses (one that never writes has no audit table, the audit function has no registry table).
 */
function builtOnUse<T extends object>(builders: Builders<T>): T {
  const built: Partial<T> = {};
  const members = {} as T;
  for (const name of Object.keys(builders) as (keyof T)[]) {
    Object.defineProperty(members, name, {
      enumerable: true,
      get: () => (name in built ? built[name] : (built[name] = builders[name]())),
    });
  }
  return members;
}

/** The registry table and the audit table, each read when a store first needs it. */
export interface Tables {
  tableName: () => string;
  auditTableName: () => string;
}

const CONFIGURED_TABLES: Tables = { tableName: config.tableName, auditTableName: config.auditTableName };

/** The member of a function whose bundle left out its adapter: its definition grants nothing that adapter reaches. */
const leftOut = (member: keyof Deps) => (): never => {
  throw new Error(`This function's bundle has no ${member} adapter: its definition in system/functions.ts grants none`);
};

/**
 * The AWS adapters of every port: the stores on `tables`, the buckets, queues (jobs and rows) and bus the configuration names,
 * the key ring, the clock, ULIDs and the configured `lastSeenAt` interval. Each `process.env.PRISM_BUNDLES_*` test is
 * replaced when a function is bundled (OPTIONAL_CLIENTS in system/functions.ts) and must stay written out here, so
 * esbuild can drop what it guards.
 */
export const awsDeps = ({ tableName, auditTableName }: Tables = CONFIGURED_TABLES): Deps =>
  builtOnUse<Deps>({
    store:
      process.env.PRISM_BUNDLES_DYNAMODB !== 'false'
        ? () => new RegistryStore(tableName(), auditTableName)
        : leftOut('store'),
    scan: process.env.PRISM_BUNDLES_DYNAMODB !== 'false' ? () => new RegistryScan(tableName()) : leftOut('scan'),
    batches:
      process.env.PRISM_BUNDLES_DYNAMODB !== 'false'
        ? () => new BatchStore(tableName(), auditTableName)
        : leftOut('batches'),
    rows: process.env.PRISM_BUNDLES_SQS !== 'false' ? () => new SqsRowQueue(config.rowQueueUrl) : leftOut('rows'),
    jobs:
      process.env.PRISM_BUNDLES_DYNAMODB !== 'false'
        ? () => new JobStore(tableName(), auditTableName)
        : leftOut('jobs'),
    auditLog: process.env.PRISM_BUNDLES_DYNAMODB !== 'false' ? () => new AuditLog(auditTableName) : leftOut('auditLog'),
    objects:
      process.env.PRISM_BUNDLES_S3 !== 'false' ? () => new S3ObjectStore(CONFIGURED_BUCKETS) : leftOut('objects'),
    jobQueue:
      process.env.PRISM_BUNDLES_SQS !== 'false'
        ? () => new SqsJobQueue({ jobs: config.jobQueueUrl, archiveJobs: config.archiveJobQueueUrl })
        : leftOut('jobQueue'),
    events:
      process.env.PRISM_BUNDLES_EVENTBRIDGE !== 'false'
        ? () => new EventBridgePublisher(config.eventBusName)
        : leftOut('events'),
    keyRing: process.env.PRISM_BUNDLES_SECRETS_MANAGER !== 'false' ? () => keyRing : leftOut('keyRing'),
    now: () => () => new Date(),
    newId: () => monotonicFactory(),
    lastSeenIntervalSeconds: config.lastSeenIntervalSeconds,
    webhooks:
      process.env.PRISM_BUNDLES_DYNAMODB !== 'false'
        ? () => new WebhookStore(tableName(), auditTableName)
        : leftOut('webhooks'),
    deliveries:
      process.env.PRISM_BUNDLES_SQS !== 'false'
        ? () => new SqsRetryQueue(config.webhookQueueUrl, 'webhook delivery queue')
        : leftOut('deliveries'),
    sendWebhook:
      process.env.PRISM_BUNDLES_WEBHOOK_HTTP !== 'false'
        ? () => webhookHttp({ allowLoopback: config.webhooksAllowLoopback() })
        : leftOut('sendWebhook'),
    webhookRetrySchedule: config.webhookRetrySchedule,
    allowLoopbackWebhooks: config.webhooksAllowLoopback,
    mail:
      process.env.PRISM_BUNDLES_SQS !== 'false'
        ? () => new SqsRetryQueue(config.mailQueueUrl, 'mail queue')
        : leftOut('mail'),
    sendMail: () => mailSender(),
    mailTemplates: () => templatesIn(config.mailTemplates),
  });

/**
 * Where mail goes: to the SMTP server REGISTRY_SMTP_URL names (the embedded stack's mail catcher; never bundled in a
 * deployed function), else to SES, from the configured address.
 */
function mailSender(): MailSender {
  const from = config.mailFrom();
  if (!from) return unconfiguredMail;
  const smtpUrl = config.smtpUrl();
  if (process.env.PRISM_BUNDLES_SMTP !== 'false' && smtpUrl) return smtpSender(smtpUrl, from);
  if (process.env.PRISM_BUNDLES_SES !== 'false') {
    return sesSender({ from, configurationSet: config.sesConfigurationSet() });
  }
  return leftOut('sendMail')();
}

/** A deployment without a sender address refuses every e-mail for good, saying what to set. */
const unconfiguredMail: MailSender = () =>
  Promise.reject(
    new MailRefused('e-mail delivery is not configured: deploy with the mailFrom context (docs/DEPLOY.md)', true),
  );

/** The audit publisher's trigger hands it audit items as the table's stream carries them: read as the log writes them. */
export { auditEventOfImage } from './audit-items';

let deps: Deps | undefined;

/** The process's dependencies: the composition root every handler is given. */
export function defaultDeps(): Deps {
  deps ??= awsDeps();
  return deps;
}
