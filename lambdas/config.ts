import { type CsvLimits, DEFAULT_CSV_LIMITS } from './domain/csv-reader';
import { LIMITS } from './domain/invitation';
import { DEFAULT_SERVICE_NAME, SERVICE_NAME_VARIABLE } from './metrics';
import { DEFAULT_RETENTION_DAYS, ENV } from './resources';

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
  /** Public URL devices register against; derived from the request when unset. */
  registryApiUrl: () => process.env[ENV.registryApiUrl],
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
  /** The allowance (`maxDescendants`) of an invitation created without one (SPEC §3.8). */
  defaultMaxDescendants: (): number => {
    const configured = process.env[ENV.defaultMaxDescendants];
    if (configured === undefined || configured === '') return LIMITS.maxDescendants.default;
    const value = Number(configured);
    const { min, max } = LIMITS.maxDescendants;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`Environment variable ${ENV.defaultMaxDescendants} must be a whole number from ${min} to ${max}`);
    }
    return value;
  },
  /** The `service` every log line, metric and trace carries: the stack's name where CDK sets it. */
  serviceName: () => process.env[SERVICE_NAME_VARIABLE] || DEFAULT_SERVICE_NAME,
};

function optionalWholeNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`Environment variable ${name} must be a whole number`);
  return number;
}
