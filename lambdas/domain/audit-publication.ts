import { type AuditEvent, type AuditValue, maskSecrets } from './audit';

/**
 * What the registry publishes of an audit event on its event bus (docs/SPEC.md §4.8). The audit log already holds
 * no token or encoded invitation (`auditEvent` masks them), but its events are read only by administrators;
 * published ones reach whoever a rule routes them to, so no secret and no e-mail address goes out, whatever wrote
 * the event.
 */

/** Text shaped like an e-mail address: a local part, `@`, a domain (`alice@example.org`, `bob@laptop`). */
const EMAIL_LIKE = /[\p{L}\p{N}!#$%&'*+=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*/gu;

/** A detail named like an e-mail address (`email`, `recipientEmail`, `e-mail`…): its text goes out withheld whole. */
const EMAIL_KEY = /e-?mail/i;

export const EMAIL_WITHHELD = '[e-mail withheld]';

/** `text` with anything that looks like a secret masked (`maskSecrets`) and every e-mail-shaped run withheld. */
const publishedText = (text: string): string => maskSecrets(text).replace(EMAIL_LIKE, EMAIL_WITHHELD);

/** A value as published: its text masked, or withheld whole under an e-mail key, however deeply it is nested. */
function publishedValue(value: unknown, underEmailKey: boolean): unknown {
  if (typeof value === 'string') return underEmailKey ? EMAIL_WITHHELD : publishedText(value);
  if (Array.isArray(value)) return value.map((item) => publishedValue(item, underEmailKey));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, publishedValue(inner, underEmailKey || EMAIL_KEY.test(key))]),
    );
  }
  return value;
}

/**
 * The event as it goes out: its own fields only (eventId, at, actor, action, targetId, details, requestId,
 * sourceIp), every text in them passed through `maskSecrets` with e-mail-shaped runs withheld, and the text of any
 * detail named like an e-mail address withheld whole. The source address stays: it is the request's, not a person's
 * identity, and the audit event's own.
 */
export function publishedAuditEvent(event: AuditEvent): AuditEvent {
  const { eventId, at, actor, action, targetId, details, requestId, sourceIp } = event;
  return {
    eventId,
    at,
    actor: publishedText(actor),
    action,
    targetId: publishedText(targetId),
    details: publishedValue(details ?? {}, false) as Record<string, AuditValue>,
    ...(requestId !== undefined && { requestId: publishedText(requestId) }),
    ...(sourceIp !== undefined && { sourceIp }),
  };
}
