/**
 * The registry's own CloudWatch metrics (docs/SPEC.md §4.7), written as EMF by the functions and read by the
 * dashboard and alarms. Each metric carries the `service` dimension (the stack's name, so two deployments in
 * one account stay apart) plus the dimensions listed here, always all of them.
 */
export const METRICS_NAMESPACE = 'PrismRegistry';

/** The variable holding the `service` dimension (Powertools' own), set to the stack name by CDK. */
export const SERVICE_NAME_VARIABLE = 'POWERTOOLS_SERVICE_NAME';

/** Powertools' name for the dimension every registry metric carries. */
export const SERVICE_DIMENSION = 'service';

/** The `service` dimension where no deployment sets one (the embedded stack). */
export const DEFAULT_SERVICE_NAME = 'prism-registry';

export const JOB_OUTCOMES = ['succeeded', 'failed'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

export interface MetricDefinition {
  description: string;
  /** Dimensions besides `service`. */
  dimensions: readonly string[];
}

export const METRICS = {
  /** Every API request a function answered, by route (`POST /registry/register`). */
  Requests: { description: 'API requests answered, by route', dimensions: ['route'] },
  /** A device registered or refreshed through `POST /accept` or `POST /registry/register`. */
  DevicesRegistered: { description: 'Devices registered', dimensions: [] },
  /** A registration refused, by the error code the caller got (`max_devices_reached`, `invitation_expired`, ...). */
  RegistrationsRefused: { description: 'Registrations refused, by reason', dimensions: ['reason'] },
  /** A validation answered `valid: false`, by its reason (`device_revoked`, `unknown_token`, ...). */
  ValidationsRefused: { description: 'Validations answered invalid, by reason', dimensions: ['reason'] },
  BatchRowsSucceeded: { description: 'Batch rows that created an invitation', dimensions: [] },
  BatchRowsFailed: { description: 'Batch rows refused or failed', dimensions: [] },
  /** A batch the watchdog found stopped, by stage (STALL_STAGES: upload, split, rows, finalise). */
  BatchesStalled: { description: 'Batches found stalled, by stage', dimensions: ['stage'] },
  /** A job run that ended, by kind (JOB_KINDS) and outcome (JOB_OUTCOMES). */
  JobRuns: { description: 'Job runs ended, by kind and outcome', dimensions: ['kind', 'outcome'] },
  /** Audit events the audit publisher put on the event bus; one a retried batch puts again counts again. */
  AuditEventsPublished: { description: 'Audit events published on the event bus', dimensions: [] },
  /** Audit events an invocation of the audit publisher could not put, left to the stream's retries. */
  AuditEventsUnpublished: { description: 'Audit events not published, left to a retry', dimensions: [] },
  /** An attempt at a webhook delivery, by outcome (`delivered`, a 2xx; `failed`, anything else or no answer). */
  WebhookDeliveries: { description: 'Webhook delivery attempts, by outcome', dimensions: ['outcome'] },
  /** An attempt at an e-mail, by outcome (`sent`, handed to the mail service; `failed`, refused or not reached). */
  MailDeliveries: { description: 'E-mail attempts, by outcome', dimensions: ['outcome'] },
  /** What the mail service reported of the registry's e-mails, by the status it set. */
  MailReports: { description: 'Delivery, bounce and complaint reports, by status', dimensions: ['status'] },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;
