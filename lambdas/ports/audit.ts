import type { AuditEvent, AuditFilter } from '../domain/audit';

/** The audit log: events are appended and read, never changed or removed. */
export interface AuditLog {
  /** Appends an event that goes with no other write (every other change appends its own atomically). */
  append(event: AuditEvent): Promise<void>;
  /** One page of events, newest first, within [since, until], optionally only one action, actor or target. */
  list(filter: AuditFilter, limit: number, cursor?: string): Promise<{ events: AuditEvent[]; cursor?: string }>;
  /** Every event with `since <= at < until`, oldest first. */
  between(since: string, until: string): AsyncGenerator<AuditEvent>;
  /** Events of one target, oldest first. */
  ofTarget(targetId: string): Promise<AuditEvent[]>;
}
