import { AUDIT_ACTIONS, type AuditAction, type AuditEvent } from './audit';
import { publishedAuditEvent } from './audit-publication';
import type { SealedSecret } from './webhook-secret';

/**
 * Webhook endpoints and their deliveries (docs/SPEC.md §4.8). An endpoint subscribes to audit actions (or `*`);
 * every audit event of those actions is delivered to it as its published form (`publishedAuditEvent`: no secret,
 * no e-mail address), signed as Standard Webhooks says, or as a readable Slack message for a `slack` endpoint.
 */

export const WEBHOOK_KINDS = ['standard', 'slack'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** Subscribes an endpoint to every action. */
export const EVERY_EVENT = '*';

/** The sample event `POST /webhooks/{id}/test` sends: never an audit action. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What an endpoint may subscribe to. */
export const WEBHOOK_EVENTS: readonly string[] = [EVERY_EVENT, ...AUDIT_ACTIONS];

/** Endpoints a registry keeps at most: every audit event is matched against all of them. */
export const MAX_WEBHOOKS = 50;

export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** An endpoint as the API shows it: never its secret. */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  kind: WebhookKind;
  description?: string;
  createdAt: string;
  createdBy: string;
}

/** An endpoint as it is stored: with its signing secret, sealed. */
export interface StoredWebhook extends Webhook {
  secret: SealedSecret;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead_lettered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One try at a delivery: the endpoint's status code (and the start of its answer), or why there was none. */
export interface DeliveryAttempt {
  at: string;
  statusCode?: number;
  /** At most RESPONSE_EXCERPT_MAX characters of what a failing endpoint answered. */
  response?: string;
  error?: string;
}

export const RESPONSE_EXCERPT_MAX = 200;

/**
 * One event's delivery to one endpoint. Its id is the event's id, the same for every endpoint and across retries:
 * the `webhook-id` a receiver tells repeats apart by.
 */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  action: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  createdAt: string;
  nextAttemptAt?: string;
}

/** What an endpoint receives: Standard Webhooks' `{type, timestamp, data}`. */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What goes on the delivery queue: one event for one endpoint. */
export interface DeliveryMessage {
  deliveryId: string;
  webhookId: string;
  payload: WebhookPayload;
}

export const subscribes = (webhook: Pick<Webhook, 'events'>, action: string): boolean =>
  webhook.events.includes(EVERY_EVENT) || webhook.events.includes(action);

export const publicWebhook = ({ secret: _secret, ...webhook }: StoredWebhook): Webhook => webhook;

/** The payload of an audit event: its published form, under its action. */
export const eventPayload = (event: AuditEvent): WebhookPayload => ({
  type: event.action,
  timestamp: event.at,
  data: { ...publishedAuditEvent(event) },
});

/** The sample event of a test delivery, shaped as an audit event's payload is. */
export const testPayload = (webhookId: string, eventId: string, at: string, actor: string): WebhookPayload => ({
  type: WEBHOOK_TEST_EVENT,
  timestamp: at,
  data: {
    eventId,
    at,
    actor,
    action: WEBHOOK_TEST_EVENT,
    targetId: webhookId,
    details: { message: 'A test event from the Prism Invitation Registry' },
  },
});

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Why `value` cannot be an endpoint's URL, or undefined when it can: an absolute `https` URL (or `http` to a
 * loopback host where `allowLoopbackHttp`, the embedded stack), with a host, no credentials and no fragment, at
 * most WEBHOOK_URL_MAX_LENGTH characters. Where the host resolves is checked when a delivery is sent.
 */
export function webhookUrlProblem(value: string, allowLoopbackHttp: boolean): string | undefined {
  if (value.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  const loopbackHttp = allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    return allowLoopbackHttp ? 'must use https (or http to a loopback host)' : 'must use https';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash || value.includes('#')) return 'must not have a fragment';
  if (!url.hostname) return 'must name a host';
  return undefined;
}

/**
 * The default retry schedule, Standard Webhooks' recommendation: after the first attempt fails, the next ones
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later (over 27 hours in all). Each is at most SQS's 12-hour
 * visibility timeout.
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];
export const MAX_RETRY_DELAY_SECONDS = 12 * 60 * 60;

/** Attempts a delivery gets: the first, then one per step of the schedule. */
export const deliveryAttempts = (schedule: readonly number[]): number => schedule.length + 1;

/** A schedule written as whole seconds, comma-separated (`5,300,1800`); throws naming what is wrong. */
export function parseRetrySchedule(text: string): number[] {
  const steps = text.split(',').map((step) => step.trim());
  const delays = steps.map(Number);
  if (
    steps.some((step) => step === '') ||
    delays.some((d) => !Number.isInteger(d) || d < 0 || d > MAX_RETRY_DELAY_SECONDS)
  ) {
    throw new Error(`must be whole seconds from 0 to ${MAX_RETRY_DELAY_SECONDS}, comma-separated, e.g. 5,300,1800`);
  }
  return delays;
}

/** What follows a failed attempt (1 for the first): a retry after the schedule's delay, or the end. */
export function afterFailure(
  attempt: number,
  schedule: readonly number[],
): { retryAfterSeconds: number } | { deadLettered: true } {
  const delay = schedule[attempt - 1];
  return delay === undefined ? { deadLettered: true } : { retryAfterSeconds: delay };
}

const SLACK_TEXT_MAX = 500;

/** Text as Slack shows it literally: its control characters `&`, `<`, `>` escaped. */
const slackEscaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const detail = (data: Record<string, unknown>, name: string): string | undefined => {
  const details = data.details as Record<string, unknown> | undefined;
  const value = details?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

const withReason = (line: string, reason: string | undefined) => (reason ? `${line}: ${reason}` : line);

type Phrase = (target: string, data: Record<string, unknown>) => string;

/** A phrase for every action, so a new action cannot reach Slack as its bare name. */
const PHRASES: Record<AuditAction | typeof WEBHOOK_TEST_EVENT, Phrase> = {
  'invitation.created': (target, data) => `Invitation ${detail(data, 'name') ?? target} created (${target})`,
  'invitation.accepted': (target) => `Invitation ${target} accepted`,
  'invitation.revoked': (target, data) => withReason(`Invitation ${target} revoked`, detail(data, 'reason')),
  'invitation.rotated': (target) => `Invitation ${target} got a new token`,
  'invitation.suspended': (target, data) => withReason(`Invitation ${target} suspended`, detail(data, 'reason')),
  'invitation.expired': (target) => `Invitation ${target} expired`,
  'invitation.expiring': (target, data) =>
    `Invitation ${target} expires in ${detail(data, 'daysLeft') ?? '?'} days (${detail(data, 'expiresAt') ?? '?'})`,
  'invitation.delivery': (target, data) =>
    withReason(
      `E-mail ${detail(data, 'kind') === 'reminder' ? 'reminder ' : ''}for invitation ${target} ${detail(data, 'status') ?? 'updated'}`,
      detail(data, 'error'),
    ),
  'device.registered': (target, data) =>
    `Device registered on invitation ${detail(data, 'invitationId') ?? 'unknown'} (${detail(data, 'hostname') ?? target})`,
  'device.refused': (target, data) =>
    `Device ${detail(data, 'deviceId') ?? 'unknown'} refused on invitation ${target}: ${detail(data, 'reason') ?? 'no reason given'}`,
  'device.revoked': (target, data) =>
    withReason(
      `Device ${target} revoked on invitation ${detail(data, 'invitationId') ?? 'unknown'}`,
      detail(data, 'reason'),
    ),
  'devices.revoked': (target, data) =>
    withReason(`Every device of invitation ${target} revoked`, detail(data, 'reason')),
  'batch.started': (target) => `Batch ${target} started`,
  'batch.completed': (target, data) =>
    `Batch ${target} completed: ${detail(data, 'succeeded') ?? '?'} of ${detail(data, 'total') ?? '?'} rows succeeded, ${detail(data, 'failed') ?? '?'} failed`,
  'batch.failed': (target, data) => withReason(`Batch ${target} failed`, detail(data, 'message')),
  'export.created': (target) => `Export ${target} created`,
  'emergency.revoke_all': () => 'Emergency: every device revoked',
  'job.started': (target, data) => `Job ${target} (${detail(data, 'kind') ?? 'job'}) started`,
  'job.completed': (target, data) => `Job ${target} (${detail(data, 'kind') ?? 'job'}) completed`,
  'job.failed': (target, data) => `Job ${target} (${detail(data, 'kind') ?? 'job'}) failed`,
  'webhook.created': (target) => `Webhook ${target} created`,
  'webhook.removed': (target) => `Webhook ${target} removed`,
  [WEBHOOK_TEST_EVENT]: () => 'Test message from the Prism Invitation Registry: this webhook works',
};

/**
 * The one line a Slack incoming webhook shows for an event, in plain English, from its published form (so no
 * secret and no address), escaped for Slack and at most SLACK_TEXT_MAX characters.
 */
export function slackText(payload: WebhookPayload): string {
  const target = typeof payload.data.targetId === 'string' ? payload.data.targetId : '';
  const phrase = PHRASES[payload.type as keyof typeof PHRASES] ?? ((id: string) => `${payload.type} ${id}`.trim());
  const line = slackEscaped(phrase(target, payload.data));
  return line.length > SLACK_TEXT_MAX ? `${line.slice(0, SLACK_TEXT_MAX - 1)}…` : line;
}
