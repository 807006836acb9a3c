import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEvent } from '../domain/audit';
import { AUDIT_RETENTION_DAYS, AUDIT_SHARDS } from '../config';

/**
 * Item layout of the audit table: `AUDIT#<shard>` / `<eventId>`, the event's own attributes, and `ttl`. The event id
 * is a ULID, so each shard is in time order; the shard is the id's last character's, so events spread evenly.
 */

type Item = Record<string, unknown>;

const DAY_SECONDS = 24 * 60 * 60;

const shardOf = (eventId: string): number => eventId.charCodeAt(eventId.length - 1) % AUDIT_SHARDS;

/** The partition key of a shard. */
export const auditPartition = (shard: number) => `AUDIT#${shard}`;

/** The table item of an event, and its time-to-live (AUDIT_RETENTION_DAYS after it happened). */
export function auditItem(event: AuditEvent): Item {
  return {
    pk: auditPartition(shardOf(event.eventId)),
    sk: event.eventId,
    ...event,
    ttl: Math.floor(Date.parse(event.at) / 1000) + AUDIT_RETENTION_DAYS * DAY_SECONDS,
  };
}

/** The transaction item that appends `event`: a Put that can only create, never overwrite. */
export function auditPut(tableName: string, event: AuditEvent): Record<string, unknown> {
  return { Put: { TableName: tableName, Item: auditItem(event), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The event an item holds: the item without the table's keys and time-to-live. */
export const auditEventOfItem = (item: Item): AuditEvent => {
  const { pk: _pk, sk: _sk, ttl: _ttl, ...event } = item;
  return event as unknown as AuditEvent;
};

/** The event an item holds, from the item as the table's stream carries it (its new image). */
export const auditEventOfImage = (image: Record<string, AttributeValue>): AuditEvent =>
  auditEventOfItem(unmarshall(image));
