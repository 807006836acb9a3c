import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AUDIT_ARCHIVE_PREFIXES, BUCKET_PREFIXES } from '../system/resources';
import { RegistryApi, type RegistryApiProps } from './constructs/api';
import { BatchPipeline, EVENT_BUS_DESCRIPTION } from './constructs/batch-pipeline';
import { RegistryData } from './constructs/data';
import { RegistryFunctions } from './constructs/functions';
import { DEFAULT_FIREWALL, type FirewallSettings } from './constructs/firewall';
import { Jobs, type JobsProps } from './constructs/jobs';
import { MailDelivery, type MailSettings } from './constructs/mail';
import { Monitoring } from './constructs/monitoring';
import { WebhookDeliveries } from './constructs/webhooks';
import type { BatchLimits } from './constructs/registry-function';
import { RegistryStorage, type RegistryStorageProps } from './constructs/storage';

export const DEFAULT_STAGE_NAME = 'v1';

export interface RegistryStackProps extends StackProps {
  /** API Gateway stage, the first path segment of every API URL. */
  stageName?: string;
  /** Batch worker invocations at once (the row queue event source's maximum concurrency). */
  batchConcurrency?: number;
  /** File-level limits of a batch CSV, where they differ from the splitter's defaults. */
  batchLimits?: BatchLimits;
  /** Days expired invitations are kept before the expired cleanup removes them (the job runner's default when absent). */
  retentionDays?: number;
  /** How the audit archive's objects are locked, where not a year under GOVERNANCE. */
  auditArchiveLock?: RegistryStorageProps['auditArchiveLock'];
  /** The allowance (`maxDescendants`) of an invitation created without one; default 10,000. */
  defaultMaxDescendants?: number;
  /** Seconds a device's `lastSeenAt` may lag its latest validation (0-3,600); default 300. */
  lastSeenIntervalSeconds?: number;
  /** Days before expiry that `expiry-reminders` announces an invitation (1-365); default 7. */
  expiryReminderDays?: number;
  /** Days unseen after which `stale-devices` revokes a device (1-3,650); unset, that job is off. */
  staleDeviceDays?: number;
  /** Stack traces in the logs mapped to the source, at about 35 ms of every cold start; off by default. */
  sourceMaps?: boolean;
  /** Email address the alarms are sent to (the alarm topic takes other subscribers too). */
  alarmEmail?: string;
  /** When each scheduled job runs, or `off`. */
  schedules?: JobsProps['schedules'];
  /** The API stage's throttling, every route together. */
  apiThrottle?: RegistryApiProps['throttle'];
  /** Each recipient route's throttling. */
  recipientRouteThrottle?: RegistryApiProps['recipientRouteThrottle'];
  /**
   * An AWS WAF WebACL in front of the API, with rate limits per client address; DEFAULT_FIREWALL when absent, none
   * when `false`.
   */
  firewall?: FirewallSettings | false;
  /** The URL devices register against, where clients reach the API at a custom domain; else its default endpoint's. */
  registryApiUrl?: RegistryApiProps['registryUrl'];
  /** Create API Gateway's account-wide CloudWatch Logs role, where the account and region have none yet. */
  createApiGatewayLogRole?: boolean;
  /** Who invitations are e-mailed from, through SES; without it e-mail delivery is off. */
  mail?: MailSettings;
  /** The folder of mail templates the mailer carries, where not the project's `templates/`. */
  mailTemplates?: string;
}

/** The whole Prism invitation registry in one stack. */
export class RegistryStack extends Stack {
  public readonly data: RegistryData;
  public readonly storage: RegistryStorage;
  public readonly batchPipeline: BatchPipeline;
  public readonly jobs: Jobs;
  public readonly functions: RegistryFunctions;
  public readonly api: RegistryApi;
  public readonly monitoring: Monitoring;
  public readonly webhookDeliveries: WebhookDeliveries;
  public readonly mailDelivery: MailDelivery;

  constructor(
    scope: Construct,
    id: string,
    {
      stageName = DEFAULT_STAGE_NAME,
      batchConcurrency,
      batchLimits,
      retentionDays,
      auditArchiveLock,
      defaultMaxDescendants,
      lastSeenIntervalSeconds,
      expiryReminderDays,
      staleDeviceDays,
      sourceMaps,
      alarmEmail,
      schedules,
      apiThrottle,
      recipientRouteThrottle,
      firewall = DEFAULT_FIREWALL,
      registryApiUrl,
      createApiGatewayLogRole,
      mail,
      mailTemplates,
      ...props
    }: RegistryStackProps = {},
  ) {
    super(scope, id, props);

    this.data = new RegistryData(this, 'Data');
    this.storage = new RegistryStorage(this, 'Storage', { auditArchiveLock });
    this.batchPipeline = new BatchPipeline(this, 'BatchPipeline', { maxConcurrency: batchConcurrency });
    this.jobs = new Jobs(this, 'Jobs', { schedules, jobSettings: { staleDeviceDays } });
    this.webhookDeliveries = new WebhookDeliveries(this, 'Webhooks');
    this.mailDelivery = new MailDelivery(this, 'Mail', { settings: mail });
    this.functions = new RegistryFunctions(this, 'Functions', {
      data: this.data,
      storage: this.storage,
      batchPipeline: this.batchPipeline,
      jobs: this.jobs,
      webhookDeliveries: this.webhookDeliveries,
      mailDelivery: this.mailDelivery,
      mailTemplates,
      batchLimits,
      retentionDays,
      defaultMaxDescendants,
      lastSeenIntervalSeconds,
      expiryReminderDays,
      staleDeviceDays,
      sourceMaps,
    });
    this.api = new RegistryApi(this, 'Api', {
      functions: this.functions.byName,
      stageName,
      throttle: apiThrottle,
      recipientRouteThrottle,
      firewall: firewall === false ? undefined : firewall,
      registryUrl: registryApiUrl,
      createAccountLogRole: createApiGatewayLogRole,
    });
    this.functions.bindRegistryUrl(this.api.registryUrl);
    // Last: it watches every dead-letter queue created before it.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: this.functions.byName,
      stage: this.api.restApi.deploymentStage,
      workQueues: [
        this.batchPipeline.rowQueue,
        this.jobs.jobQueue,
        this.jobs.archiveJobQueue,
        this.webhookDeliveries.queue,
        this.mailDelivery.queue,
      ],
      alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Registry REST API base URL' });
    new CfnOutput(this, 'RegistryUrl', {
      value: this.api.registryUrl,
      description: 'CWS_REGISTRY_API for the reference Prism client',
    });
    new CfnOutput(this, 'BucketName', {
      value: this.storage.bucket.bucketName,
      description: `Registry bucket: a CSV put under ${BUCKET_PREFIXES.drop} starts a batch`,
    });
    const { mode, retentionDays: lockDays } = this.storage.auditArchiveLock;
    new CfnOutput(this, 'AuditArchiveBucketName', {
      value: this.storage.auditArchiveBucket.bucketName,
      description: `Audit archive bucket: ${AUDIT_ARCHIVE_PREFIXES.auditLog}YYYY/MM/DD.ndjson, each version locked ${lockDays} days (${mode})`,
    });
    const { eventBus } = this.batchPipeline;
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName, description: EVENT_BUS_DESCRIPTION });
    new CfnOutput(this, 'EventBusArn', { value: eventBus.eventBusArn, description: EVENT_BUS_DESCRIPTION });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.alarmTopic.topicArn,
      description: 'SNS topic every alarm notifies: subscribe to hear of dead letters, 5xx, errors and failures',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.monitoring.dashboard.dashboardName,
      description: 'CloudWatch dashboard of the registry',
    });
  }
}
