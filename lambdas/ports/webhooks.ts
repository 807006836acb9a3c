import type { AuditEvent } from '../domain/audit';
import type {
  DeliveryAttempt,
  DeliveryMessage,
  DeliveryStatus,
  StoredWebhook,
  WebhookDelivery,
} from '../domain/webhook';
import type { Page } from './common';

/** Webhook endpoints and the log of their deliveries (docs/SPEC.md §4.8). */
export interface WebhookRepository {
  /** Records a new endpoint with its audit event. */
  create(webhook: StoredWebhook, audit: AuditEvent): Promise<void>;
  /** Every endpoint, newest first (there are at most MAX_WEBHOOKS). */
  list(): Promise<StoredWebhook[]>;
  get(id: string): Promise<StoredWebhook | undefined>;
  /** Removes an endpoint with its audit event; false when there was none. Its deliveries stay until they expire. */
  remove(id: string, audit: AuditEvent): Promise<boolean>;
  /** Records a delivery about to be queued, unless it is recorded already (a repeated event). */
  recordPending(delivery: WebhookDelivery): Promise<void>;
  /** Adds an attempt to a recorded delivery and sets its status (and when it is tried next, if it is). */
  recordAttempt(
    webhookId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    status: DeliveryStatus,
    nextAttemptAt?: string,
  ): Promise<void>;
  /** One page of an endpoint's deliveries, newest first. */
  listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>>;
}

/** The delivery queue: each message one event for one endpoint. */
export interface DeliveryQueue {
  send(messages: readonly DeliveryMessage[]): Promise<void>;
  /** Keeps a received message out of sight for `seconds`: when its next attempt comes round. */
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
}

/** An HTTP POST to an endpoint. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What an endpoint answered (its status code, the start of its body), or why it could not be reached. */
export type WebhookResponse = { statusCode: number; body: string } | { error: string };

/** Sends webhook requests, only to public addresses (docs/SPEC.md §4.8). */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;
