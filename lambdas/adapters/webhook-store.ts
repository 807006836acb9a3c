import type { AuditEvent } from '../domain/audit';
import type { DeliveryAttempt, DeliveryStatus, StoredWebhook, WebhookDelivery } from '../domain/webhook';
import type { Page } from '../ports/common';
import { decodeCursor, encodeCursor } from '../ports/cursor';
import type { WebhookRepository } from '../ports/webhooks';
import { PARTITIONS } from '../config';
import { auditPut } from './audit-items';
import { documents } from './clients';
import { landed, transactWrite } from './conditional-writes';

/**
 * Item layout of webhooks in the registry table:
 * - endpoint: `HOOK#ENDPOINTS` / `<id>` (a ULID): the few endpoints in one partition, newest last, read in one query
 * - delivery: `HOOK#<webhookId>` / `DLV#<deliveryId>` (the event's ULID), expiring DELIVERY_RETENTION_DAYS after
 *   it was queued
 */
export const WEBHOOK_ENDPOINTS_PARTITION = `${PARTITIONS.webhook}ENDPOINTS`;
const ENDPOINTS = WEBHOOK_ENDPOINTS_PARTITION;
const endpointKey = (id: string) => ({ pk: ENDPOINTS, sk: id });
const DELIVERY_PREFIX = 'DLV#';
const deliveryKey = (webhookId: string, deliveryId: string) => ({
  pk: `${PARTITIONS.webhook}${webhookId}`,
  sk: `${DELIVERY_PREFIX}${deliveryId}`,
});

export const DELIVERY_RETENTION_DAYS = 30;
const DAY_SECONDS = 24 * 60 * 60;

type Item = Record<string, unknown>;

const webhookOf = ({ pk: _pk, sk: _sk, entity: _entity, ...webhook }: Item) => webhook as unknown as StoredWebhook;
const deliveryOf = ({ pk: _pk, sk: _sk, entity: _entity, ttl: _ttl, ...delivery }: Item) =>
  delivery as unknown as WebhookDelivery;

const isKey = (value: unknown): value is { pk: string; sk: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Item).pk === 'string' &&
  typeof (value as Item).sk === 'string';

export class WebhookStore implements WebhookRepository {
  constructor(
    private readonly tableName: string,
    /** Read when an event is written: the sender and the dispatcher never write one. */
    private readonly auditTableName: () => string,
  ) {}

  async create(webhook: StoredWebhook, audit: AuditEvent): Promise<void> {
    await transactWrite(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...endpointKey(webhook.id), entity: 'webhook', ...webhook },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        auditPut(this.auditTableName(), audit),
      ],
      'webhook creation',
    );
  }

  async list(): Promise<StoredWebhook[]> {
    const found: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await documents().query({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ENDPOINTS },
        ScanIndexForward: false,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      found.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found.map(webhookOf);
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    const { Item } = await documents().get({ TableName: this.tableName, Key: endpointKey(id), ConsistentRead: true });
    return Item && webhookOf(Item);
  }

  async remove(id: string, audit: AuditEvent): Promise<boolean> {
    return landed('webhook removal', () =>
      transactWrite(
        [
          {
            Delete: {
              TableName: this.tableName,
              Key: endpointKey(id),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          auditPut(this.auditTableName(), audit),
        ],
        'webhook removal',
      ),
    );
  }

  async recordPending(delivery: WebhookDelivery): Promise<void> {
    const ttl = Math.floor(Date.parse(delivery.createdAt) / 1000) + DELIVERY_RETENTION_DAYS * DAY_SECONDS;
    await landed('webhook delivery', () =>
      documents().put({
        TableName: this.tableName,
        Item: { ...deliveryKey(delivery.webhookId, delivery.id), entity: 'webhookDelivery', ...delivery, ttl },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async recordAttempt(
    webhookId: string,
    deliveryId: string,
    attempt: DeliveryAttempt,
    status: DeliveryStatus,
    nextAttemptAt?: string,
  ): Promise<void> {
    // Only on a recorded delivery: one that expired meanwhile is not brought back without its fields.
    await landed('webhook delivery attempt', () =>
      documents().update({
        TableName: this.tableName,
        Key: deliveryKey(webhookId, deliveryId),
        UpdateExpression: `SET attempts = list_append(attempts, :attempt), #status = :status${nextAttemptAt ? ', nextAttemptAt = :next' : ' REMOVE nextAttemptAt'}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':attempt': [attempt],
          ':status': status,
          ...(nextAttemptAt && { ':next': nextAttemptAt }),
        },
      }),
    );
  }

  async listDeliveries(webhookId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    const page = await documents().query({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `${PARTITIONS.webhook}${webhookId}`, ':prefix': DELIVERY_PREFIX },
      ScanIndexForward: false,
      ConsistentRead: true,
      ExclusiveStartKey: decodeCursor(cursor, isKey),
      Limit: limit,
    });
    const next = page.LastEvaluatedKey;
    return { items: (page.Items ?? []).map(deliveryOf), ...(next && { cursor: encodeCursor(next) }) };
  }
}
