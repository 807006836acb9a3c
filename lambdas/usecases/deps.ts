import type {
  AuditLog,
  BatchRepository,
  Clock,
  EventPublisher,
  IdGenerator,
  InvitationRepository,
  JobQueue,
  JobRepository,
  KeyRingSource,
  ObjectStore,
  RegistryScan,
  RowQueue,
  DeliveryQueue,
  MailQueue,
  MailSender,
  MailTemplates,
  WebhookRepository,
  WebhookSender,
} from '../ports';

/** What the use cases need from the outside world: the composition root builds it once, tests build their own. */
export interface Deps {
  store: InvitationRepository;
  /** Whole-registry streaming reads, for exports and audits. */
  scan: RegistryScan;
  batches: BatchRepository;
  /** The row queue: a batch's chunks and its requests for results. */
  rows: RowQueue;
  jobs: JobRepository;
  auditLog: AuditLog;
  objects: ObjectStore;
  jobQueue: JobQueue;
  events: EventPublisher;
  keyRing: KeyRingSource;
  now: Clock;
  newId: IdGenerator;
  /** Seconds a device's `lastSeenAt` may lag its latest validation before one moves it. */
  lastSeenIntervalSeconds: number;
  webhooks: WebhookRepository;
  deliveries: DeliveryQueue;
  sendWebhook: WebhookSender;
  /** Seconds between a webhook delivery's attempts (the first attempt's failure waits the first). */
  webhookRetrySchedule: readonly number[];
  /** Endpoints may be `http` URLs of loopback hosts (the embedded stack). */
  allowLoopbackWebhooks: boolean;
  /** The mail queue: each message one e-mail to an invitation's recipient. */
  mail: MailQueue;
  sendMail: MailSender;
  mailTemplates: MailTemplates;
}
