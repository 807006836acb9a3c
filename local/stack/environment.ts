import { join } from 'node:path';
import { REGISTRY_PATH } from '../../lambdas/domain/registry-url';
import { ENV } from '../../system/resources';
import type { LocalResources } from '../emulators/bootstrap';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../emulators/local-aws';
import { projectRoot } from './paths';

export interface EmulatorEndpoints {
  dynamodb: string;
  /** fauxqs serves S3 and SQS on one endpoint. */
  fauxqs: string;
  /** The local event bus (EventBridge PutEvents). */
  events: string;
  /** The mail catcher's SMTP server (`smtp://127.0.0.1:<port>`). */
  smtp: string;
  /** The mail catcher's web interface. */
  mailWeb: string;
}

const METRICS_DISABLED_VARIABLE = 'POWERTOOLS_METRICS_DISABLED';

const DEFAULT_MAIL_FROM = 'prism-registry@localhost';

/**
 * The variables the functions read, pointing them at the emulators: the standard SDK ones (each client
 * picks its `AWS_ENDPOINT_URL_<SERVICE>`) and the registry's own (`ENV`), webhooks to loopback hosts allowed. Metrics are off, as their EMF
 * lines would flood the stack's output, unless the user's environment says otherwise
 * (`POWERTOOLS_METRICS_DISABLED=false npm start` shows them). Mail goes to the mail catcher, from the user's sender
 * address and templates if their environment names them, else DEFAULT_MAIL_FROM and the project's `templates/`.
 */
export const emulatorEnvironment = (
  endpoints: EmulatorEndpoints,
  resources: LocalResources,
  keysFile: string,
): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_S3: endpoints.fauxqs,
  AWS_ENDPOINT_URL_SQS: endpoints.fauxqs,
  AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events,
  [ENV.tableName]: resources.tableName,
  [ENV.auditTableName]: resources.auditTableName,
  [ENV.keysFile]: keysFile,
  [ENV.bucketName]: resources.bucket,
  [ENV.auditArchiveBucketName]: resources.auditArchiveBucket,
  [ENV.rowQueueUrl]: resources.queues.rows.url,
  [ENV.jobQueueUrl]: resources.queues.jobs.url,
  [ENV.archiveJobQueueUrl]: resources.queues.archiveJobs.url,
  [ENV.eventBusName]: resources.eventBusName,
  [ENV.webhookQueueUrl]: resources.queues.webhookDeliveries.url,
  [ENV.mailQueueUrl]: resources.queues.mailDeliveries.url,
  [ENV.smtpUrl]: endpoints.smtp,
  [ENV.mailFrom]: process.env[ENV.mailFrom] || DEFAULT_MAIL_FROM,
  [ENV.mailTemplates]: process.env[ENV.mailTemplates] || join(projectRoot(), 'templates'),
  // Receivers of the embedded stack's webhooks run on this machine.
  [ENV.webhooksAllowLoopback]: 'true',
  [METRICS_DISABLED_VARIABLE]: process.env[METRICS_DISABLED_VARIABLE] ?? 'true',
});

/** The variables that depend on the gateway's address: the URL devices register against, signed into invitations. */
export const gatewayEnvironment = (gatewayUrl: string): Record<string, string> => ({
  [ENV.registryApiUrl]: `${gatewayUrl}${REGISTRY_PATH}`,
});
