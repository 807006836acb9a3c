import { type AuditAction, type AuditEvent, type AuditValue, type Origin, auditEvent } from '../domain/audit';
import { rfc3339 } from '../domain/time';
import type { Deps } from './deps';

/** An audit event stamped now, its id minted from the same instant so the log's time order holds. */
export function audit(
  deps: Pick<Deps, 'now' | 'newId'>,
  origin: Origin,
  action: AuditAction,
  targetId: string,
  details: Record<string, AuditValue | undefined> = {},
): AuditEvent {
  const now = deps.now();
  return auditEvent(origin, action, targetId, details, { eventId: deps.newId(now.getTime()), at: rfc3339(now) });
}
