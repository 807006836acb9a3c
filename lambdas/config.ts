import { type CsvLimits, DEFAULT_CSV_LIMITS } from './domain/csv/reader';
import { DEFAULT_LAST_SEEN_INTERVAL_SECONDS, LAST_SEEN_INTERVAL_LIMITS, STALE_DEVICE_DAYS } from './domain/device';
import { EXPIRY_REMINDER_DAYS, LIMITS } from './domain/invitation';
import { REGISTRY_PATH, registryUrlProblem } from './domain/registry-url';
import { DEFAULT_SERVICE_NAME, SERVICE_NAME_VARIABLE } from './metrics';
import { DEFAULT_RETENTION_DAYS, ENV, webhookRetrySchedule } from '../system/resources';

/**
 * What the functions act on from the deploy manifest (system/): the layout of table items and bucket prefixes, queue
 * settings and event names. Functions read the manifest through this module alone.
 */
export {
  AUDIT_ARCHIVE_PREFIXES,
  AUDIT_RETENTION_DAYS,
  AUDIT_SHARDS,
  BUCKET_PREFIXES,
  EVENTS,
  INDEX_SHARDS,
  INPUT_RETENTION_DAYS,
  JOB_QUEUE,
  MAIL_RETRY_SCHEDULE_SECONDS,
  MESSAGES_PER_SEND,
  PARTITIONS,
  PUBLISH_ATTEMPTS,
  PUT_EVENTS_LIMITS,
  RESULTS_RETENTION_DAYS,
  ROW_QUEUE,
  SES_EVENTS,
  SES_INVITATION_TAG,
  WORKER_TIMEOUT_SECONDS,
} from '../system/resources';
export { type JobQueue, jobQueueOf } from '../system/job-queues';

/** The one place functions read their environment. Values are read when first asked for. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export const config = {
  tableName: () => required(ENV.tableName),
  auditTableName: () => required(ENV.auditTableName),
  /** Secrets Manager secret holding the key ring (AWS). */
  keysSecretArn: () => process.env[ENV.keysSecretArn],
  /** File holding the key ring (embedded stack). */
  keysFile: () => process.env[ENV.keysFile],
  /**
   * The URL devices register against (`<api>/registry`), signed into encoded invitations as `registry_api`: only
   * ever configured, never taken from a request. Unset, encoded invitations carry none (docs/SPEC.md §1.2, "when
   * configured"); CDK and the embedded stack set it for every function that writes it.
   */
  registryApiUrl,
  /** The API's base URL, the registry URL without its `/registry`: the OpenAPI document's server. */
  apiUrl: (): string | undefined => registryApiUrl()?.slice(0, -REGISTRY_PATH.length),
  bucketName: () => required(ENV.bucketName),
  auditArchiveBucketName: () => required(ENV.auditArchiveBucketName),
  rowQueueUrl: () => required(ENV.rowQueueUrl),
  jobQueueUrl: () => required(ENV.jobQueueUrl),
  archiveJobQueueUrl: () => required(ENV.archiveJobQueueUrl),
  retentionDays: () => optionalWholeNumber(ENV.retentionDays) ?? DEFAULT_RETENTION_DAYS,
  eventBusName: () => required(ENV.eventBusName),
  /** File-level limits of a batch CSV: the configured ones, else the defaults. */
  batchCsvLimits: (): CsvLimits => ({
    maxRows: optionalWholeNumber(ENV.batchMaxRows) ?? DEFAULT_CSV_LIMITS.maxRows,
    maxBytes: optionalWholeNumber(ENV.batchMaxBytes) ?? DEFAULT_CSV_LIMITS.maxBytes,
  }),
  /** The allowance (`maxDescendants`) of an invitation created without one (docs/SPEC.md §1.1, §3.8). */
  defaultMaxDescendants: (): number =>
    boundedWholeNumber(ENV.defaultMaxDescendants, LIMITS.maxDescendants) ?? LIMITS.maxDescendants.default,
  /** How old a device's `lastSeenAt` may grow before a validation moves it (docs/SPEC.md §1.3). */
  lastSeenIntervalSeconds: (): number =>
    boundedWholeNumber(ENV.lastSeenIntervalSeconds, LAST_SEEN_INTERVAL_LIMITS) ?? DEFAULT_LAST_SEEN_INTERVAL_SECONDS,
  /** Days before expiry that `expiry-reminders` announces an invitation. */
  expiryReminderDays: (): number =>
    boundedWholeNumber(ENV.expiryReminderDays, EXPIRY_REMINDER_DAYS) ?? EXPIRY_REMINDER_DAYS.default,
  /** Days unseen after which `stale-devices` revokes a device; `undefined` when the deployment leaves the job off. */
  staleDeviceDays: (): number | undefined => boundedWholeNumber(ENV.staleDeviceDays, STALE_DEVICE_DAYS),
  webhookQueueUrl: () => required(ENV.webhookQueueUrl),
  /** Seconds between a webhook delivery's attempts (docs/SPEC.md §4.8). */
  webhookRetrySchedule: () => webhookRetrySchedule(process.env),
  /** Webhooks may be `http` URLs of loopback hosts, and reach loopback addresses: the embedded stack alone. */
  webhooksAllowLoopback: () => process.env[ENV.webhooksAllowLoopback] === 'true',
  mailQueueUrl: () => required(ENV.mailQueueUrl),
  /** The address invitations are e-mailed from; unset, e-mail delivery is off and every message fails saying so. */
  mailFrom: () => process.env[ENV.mailFrom] || undefined,
  /** The SES configuration set the registry's mail goes through, whose events report on it (AWS). */
  sesConfigurationSet: () => process.env[ENV.sesConfigurationSet] || undefined,
  /** An SMTP server to send through instead of SES (the embedded stack's mail catcher). */
  smtpUrl: () => process.env[ENV.smtpUrl] || undefined,
  /** The folder of the mail templates (CDK bundles them with the mailer; the embedded stack reads them in place). */
  mailTemplates: () => required(ENV.mailTemplates),
  /** The `service` every log line, metric and trace carries: the stack's name where CDK sets it. */
  serviceName: () => process.env[SERVICE_NAME_VARIABLE] || DEFAULT_SERVICE_NAME,
};

/**
 * Reads every number setting once, so that a malformed one stops a start (the embedded stack's, where they come
 * from the user's environment) with its name, instead of failing each request that reads it.
 */
export function checkNumberSettings(): void {
  config.retentionDays();
  config.batchCsvLimits();
  config.defaultMaxDescendants();
  config.lastSeenIntervalSeconds();
  config.expiryReminderDays();
  config.staleDeviceDays();
  config.webhookRetrySchedule();
}

function registryApiUrl(): string | undefined {
  const value = process.env[ENV.registryApiUrl];
  if (value === undefined || value === '') return undefined;
  const problem = registryUrlProblem(value, ['http:', 'https:']);
  if (problem) throw new Error(`Environment variable ${ENV.registryApiUrl} ${problem}, got ${value}`);
  return value;
}

function boundedWholeNumber(name: string, { min, max }: { min: number; max: number }): number | undefined {
  const configured = process.env[name];
  if (configured === undefined || configured === '') return undefined;
  const value = Number(configured);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Environment variable ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function optionalWholeNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`Environment variable ${name} must be a whole number`);
  return number;
}
