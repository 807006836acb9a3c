import type { AuditEvent } from '../../../lambdas/domain/audit';
import type {
  DeliveryAttempt,
  DeliveryMessage,
  DeliveryStatus,
  StoredWebhook,
  WebhookDelivery,
} from '../../../lambdas/domain/webhook';
import type {
  DeliveryQueue,
  Page,
  WebhookRepository,
  WebhookRequest,
  WebhookResponse,
  WebhookSender,
} from '../../../lambdas/ports';
import { decodeCursor, encodeCursor } from '../../../lambdas/ports/cursor';
import type { MemoryTables } from './tables';

const isAfter = (value: unknown): value is { before: string } =>
  typeof value === 'object' && value !== null && typeof (value as { before?: unknown }).before === 'string';

/** Webhook endpoints and deliveries in memory; their audit events go to the shared audit table. */
export class MemoryWebhookStore implements WebhookRepository {
  readonly endpoints = new Map<string, StoredWebhook>();
  readonly deliveries = new Map<string, WebhookDelivery>();

  constructor(private readonly tables: MemoryTables) {}

  private append(event: AuditEvent) {
    if (this.tables.audit.has(event.eventId)) throw new Error(`Audit event ${event.eventId} was appended already`);
    this.tables.audit.set(event.eventId, structuredClone(event));
  }

  async create(webhook: StoredWebhook, audit: AuditEvent): Promise<void> {
    await Promise.resolve();
    if (this.endpoints.has(webhook.id)) throw new Error(`Webhook ${webhook.id} exists already`);
    this.append(audit);
    this.endpoints.set(webhook.id, structuredClone(webhook));
  }

  async list(): Promise<StoredWebhook[]> {
    await Promise.resolve();
    return [...this.endpoints.values()].sort((a, b) => b.id.localeCompare(a.id)).map((w) => structuredClone(w));
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    await Promise.resolve();
    const webhook = this.endpoints.get(id);
    return webhook && structuredClone(webhook);
  }

  async remove(id: string, audit: AuditEvent): Promise<boolean> {
    await Promise.resolve();
    if (!this.endpoints.has(id)) return false;
    this.append(audit);
    this.endpoints.delete(id);
    return true;
  }

  async recordPending(delivery: WebhookDelivery): Promise<void> {
    await Promise.resolve();
    const key = `${delivery.webhookId}/${delivery.id}`;
    if (!this.deliveries.has(key)) this.deliveries.set(key, structuredClone(delivery));
  }

  async recordAttempt(
    webhookId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    status: DeliveryStatus,
    nextAttemptAt?: string,
  ): Promise<void> {
    await Promise.resolve();
    const delivery = this.deliveries.get(`${webhookId}/${deliveryId}`);
    if (!delivery) return;
    delivery.attempts.push(structuredClone(attempt));
    delivery.status = status;
    if (nextAttemptAt) delivery.nextAttemptAt = nextAttemptAt;
    else delete delivery.nextAttemptAt;
  }

  async listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    await Promise.resolve();
    const before = decodeCursor(cursor, isAfter)?.before;
    const matching = [...this.deliveries.values()]
      .filter((delivery) => delivery.webhookId === webhookId && (before === undefined || delivery.id < before))
      .sort((a, b) => b.id.localeCompare(a.id));
    const items = matching.slice(0, limit).map((delivery) => structuredClone(delivery));
    const last = items[items.length - 1];
    return { items, ...(matching.length > limit && last && { cursor: encodeCursor({ before: last.id }) }) };
  }
}

/** The delivery queue in memory: what was sent, and the delays asked of received messages. */
/** A retry queue (webhook deliveries, e-mails) that records what was sent and each message put off. */
export class MemoryRetryQueue<Message> {
  readonly sent: Message[] = [];
  readonly delays: { receiptHandle: string; seconds: number }[] = [];

  async send(messages: readonly Message[]): Promise<void> {
    await Promise.resolve();
    this.sent.push(...structuredClone(messages));
  }

  async retryAfter(receiptHandle: string, seconds: number): Promise<void> {
    await Promise.resolve();
    this.delays.push({ receiptHandle, seconds });
  }
}

export class MemoryDeliveryQueue extends MemoryRetryQueue<DeliveryMessage> implements DeliveryQueue {}

/** A webhook sender that records every request and answers what the test sets (200 unless told otherwise). */
export function recordingSender(): WebhookSender & { requests: WebhookRequest[]; answers: WebhookResponse[] } {
  const requests: WebhookRequest[] = [];
  const answers: WebhookResponse[] = [];
  const send = async (request: WebhookRequest): Promise<WebhookResponse> => {
    await Promise.resolve();
    requests.push(request);
    return answers.shift() ?? { statusCode: 200, body: '' };
  };
  return Object.assign(send, { requests, answers });
}
