import { TIME_LEN, encodeTime } from 'ulid';
import type { AuditEvent, AuditFilter } from '../domain/audit';
import type { AuditLog as AuditLogPort } from '../ports/audit';
import { AUDIT_SHARDS } from '../config';
import { auditEventOfItem, auditPartition, auditPut } from './audit-items';
import { documents } from './clients';
import { shardedPage } from './sharded-query';

type Item = Record<string, unknown>;

/** ULIDs start with their time: the bounds of every id minted within [since, until]. */
const lowestIdAt = (at: string) => `${encodeTime(Date.parse(at), TIME_LEN)}0000000000000000`;
const highestIdAt = (at: string) => `${encodeTime(Date.parse(at), TIME_LEN)}ZZZZZZZZZZZZZZZZ`;
/** Far enough back and ahead to hold every event. */
const EARLIEST = '1970-01-01T00:00:00Z';
const LATEST = '9999-12-31T23:59:59Z';

/**
 * The audit log (docs/SPEC.md §4.5). The application appends (a Put conditional on the event being new) and reads;
 * it is granted nothing that could change or delete an event.
 */
export class AuditLog implements AuditLogPort {
  constructor(private readonly table: () => string) {}

  get tableName(): string {
    return this.table();
  }

  /** Appends an event that goes with no other write (every other change appends inside its own transaction). */
  async append(event: AuditEvent): Promise<void> {
    await documents().put(auditPut(this.tableName, event).Put as never);
  }

  /**
   * One page of events, newest first, within [since, until], optionally only one action, actor or target.
   * A target's history is read from the byTarget index; otherwise every shard of the time range.
   */
  async list(filter: AuditFilter, limit: number, cursor?: string): Promise<{ events: AuditEvent[]; cursor?: string }> {
    const range = {
      ':from': lowestIdAt(filter.since ?? EARLIEST),
      ':to': highestIdAt(filter.until ?? LATEST),
    };
    const conditions: string[] = [];
    const values: Record<string, unknown> = { ...range };
    const names: Record<string, string> = {};
    if (filter.action) {
      conditions.push('#action = :action');
      values[':action'] = filter.action;
      names['#action'] = 'action';
    }
    if (filter.actor) {
      conditions.push('actor = :actor');
      values[':actor'] = filter.actor;
    }
    const filterParts = {
      ...(conditions.length > 0 && { FilterExpression: conditions.join(' AND ') }),
      ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    };
    const shards = filter.targetId
      ? [
          {
            IndexName: 'byTarget',
            KeyConditionExpression: 'targetId = :target AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ...values, ':target': filter.targetId },
            ...filterParts,
          },
        ]
      : Array.from({ length: AUDIT_SHARDS }, (_, shard) => ({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ...values, ':pk': auditPartition(shard) },
          ...filterParts,
        }));
    const page = await shardedPage(this.tableName, shards, {
      limit,
      cursor,
      sortKey: 'sk',
      descending: true,
      keyOf: (item) => ({ pk: item.pk, sk: item.sk, ...(filter.targetId && { targetId: item.targetId }) }),
    });
    return { events: page.items.map(auditEventOfItem), ...(page.cursor && { cursor: page.cursor }) };
  }

  /** Every event with `since <= at < until`, oldest first, read a shard page at a time (the daily archive). */
  async *between(since: string, until: string): AsyncGenerator<AuditEvent> {
    const last = new Date(Date.parse(until) - 1).toISOString();
    let cursor: string | undefined;
    do {
      const page = await shardedPage(
        this.tableName,
        Array.from({ length: AUDIT_SHARDS }, (_, shard) => ({
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': auditPartition(shard),
            ':from': lowestIdAt(since),
            ':to': highestIdAt(last),
          },
        })),
        { limit: 500, cursor, sortKey: 'sk', keyOf: (item) => ({ pk: item.pk, sk: item.sk }) },
      );
      for (const item of page.items) {
        const event = auditEventOfItem(item);
        if (event.at >= since && event.at < until) yield event;
      }
      cursor = page.cursor;
    } while (cursor);
  }

  /** Events of one target, oldest first (tests and tools; the API pages through `list`). */
  async ofTarget(targetId: string): Promise<AuditEvent[]> {
    const items: Item[] = [];
    let lastKey: Record<string, unknown> | undefined;
    do {
      const page = await documents().query({
        TableName: this.tableName,
        IndexName: 'byTarget',
        KeyConditionExpression: 'targetId = :target',
        ExpressionAttributeValues: { ':target': targetId },
        ExclusiveStartKey: lastKey,
      });
      items.push(...(page.Items ?? []));
      lastKey = page.LastEvaluatedKey;
    } while (lastKey);
    return items.map(auditEventOfItem);
  }
}
