import { decodeTime } from 'ulid';
import { decodeCursor, encodeCursor } from '../../../lambdas/ports/cursor';
import type { AuditEvent, AuditFilter } from '../../../lambdas/domain/audit';
import type { AuditLog } from '../../../lambdas/ports';
import type { MemoryTables } from './tables';

const isBefore = (value: unknown): value is { before: string } =>
  typeof value === 'object' && value !== null && typeof (value as { before?: unknown }).before === 'string';
const byId = (a: AuditEvent, b: AuditEvent) => (a.eventId < b.eventId ? -1 : 1);
/** The event's time as its id (a ULID) tells it: the log's order and ranges go by the id. */
const idTime = (event: AuditEvent) => decodeTime(event.eventId);

/** The audit log in memory: append-only, in event id (time) order. */
export class MemoryAuditLog implements AuditLog {
  constructor(private readonly tables: MemoryTables) {}

  async append(event: AuditEvent): Promise<void> {
    await Promise.resolve();
    if (this.tables.audit.has(event.eventId)) throw new Error(`Audit event ${event.eventId} was appended already`);
    this.tables.audit.set(event.eventId, structuredClone(event));
  }

  async list(filter: AuditFilter, limit: number, cursor?: string): Promise<{ events: AuditEvent[]; cursor?: string }> {
    const before = decodeCursor(cursor, isBefore)?.before;
    const since = filter.since === undefined ? -Infinity : Date.parse(filter.since);
    const until = filter.until === undefined ? Infinity : Date.parse(filter.until);
    return this.tables.read(() => {
      const matching = [...this.tables.audit.values()]
        .filter((event) => idTime(event) >= since && idTime(event) <= until)
        .filter((event) => filter.action === undefined || event.action === filter.action)
        .filter((event) => filter.actor === undefined || event.actor === filter.actor)
        .filter((event) => filter.targetId === undefined || event.targetId === filter.targetId)
        .filter((event) => before === undefined || event.eventId < before)
        .sort(byId)
        .reverse();
      const events = matching.slice(0, limit);
      const more = matching.length > limit;
      return { events, ...(more && { cursor: encodeCursor({ before: events[events.length - 1]!.eventId }) }) };
    });
  }

  async *between(since: string, until: string): AsyncGenerator<AuditEvent> {
    const [from, to] = [Date.parse(since), Date.parse(until)];
    const events = await this.tables.read(() =>
      [...this.tables.audit.values()]
        .filter((event) => idTime(event) >= from && idTime(event) < to && event.at >= since && event.at < until)
        .sort(byId),
    );
    yield* events;
  }

  ofTarget(targetId: string): Promise<AuditEvent[]> {
    return this.tables.read(() => [...this.tables.audit.values()].filter((e) => e.targetId === targetId).sort(byId));
  }
}
