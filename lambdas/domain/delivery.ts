import type { AuditEvent } from './audit';
import type { Invitation } from './invitation';
import { daysRemaining, isPast } from './time';

/**
 * E-mail delivery of invitations (docs/SPEC.md §4.8): an invitation with an `email` is sent its encoded form and the
 * command that accepts it, through a queue, and its `delivery` tells how far the latest message got.
 */

/** What a delivery message is: the invitation itself, or the reminder that it expires soon. */
export const MAIL_KINDS = ['invitation', 'reminder'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * How far the latest message went: `queued`, handed to the mail service (`sent`), then what the service reports
 * back (`delivered`, `bounced`, `complained`), or `failed`: it could not be sent (refused, the invitation no longer
 * usable, every attempt spent).
 */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'bounced', 'complained', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An invitation's latest delivery, as stored on it. Never holds the address or the token. */
export interface Delivery {
  status: DeliveryStatus;
  kind: MailKind;
  /** When it reached this status. */
  at: string;
  /** The token generation the message carries: a rotation in between makes the message stale. */
  tokenGeneration: number;
  /** The mail service's id of the message, once sent. */
  messageId?: string;
  /** While queued: when a mailer took it to send, so no other receipt of the message sends it too. */
  claimedAt?: string;
  /** Why it failed, bounced or was complained of, in the registry's or the service's words (never the address). */
  error?: string;
}

/** One queued message: which invitation, what kind, and the token generation it was queued for. */
export interface MailMessage {
  invitationId: string;
  kind: MailKind;
  tokenGeneration: number;
}

/**
 * The e-mail an audit event asks for: the events that queue one (an invitation created or rotated to be mailed, an
 * expiry announced to an invitation with an address) say so in their details, `delivery` (the kind) and
 * `tokenGeneration`. The audit table's stream hands every event to the dispatcher, which queues these: a change
 * and its e-mail are written together, so a crash between them loses no message.
 */
export function mailMessageOfEvent(event: Pick<AuditEvent, 'targetId' | 'details'>): MailMessage | undefined {
  const { delivery, tokenGeneration } = event.details;
  if (!(MAIL_KINDS as readonly unknown[]).includes(delivery) || typeof tokenGeneration !== 'number') return undefined;
  return { invitationId: event.targetId, kind: delivery as MailKind, tokenGeneration };
}

/** The audit details that make an event queue `message` (`mailMessageOfEvent`). */
export const deliveryDetails = (message: Pick<MailMessage, 'kind' | 'tokenGeneration'>) => ({
  delivery: message.kind,
  tokenGeneration: message.tokenGeneration,
});

/** The `delivery` a message just queued gives its invitation. */
export const queuedDelivery = (message: MailMessage, at: string): Delivery => ({
  status: 'queued',
  kind: message.kind,
  at,
  tokenGeneration: message.tokenGeneration,
});

/**
 * Why a queued message must not be sent to `invitation` now, or undefined: no address, a rotation since it was
 * queued (the message would carry a token that no longer works), or an invitation no longer usable (a revocation
 * stops its mail as it stops everything else).
 */
export function unsendable(
  invitation: Pick<Invitation, 'email' | 'status' | 'expiresAt' | 'tokenGeneration'>,
  message: MailMessage,
  now: Date,
): string | undefined {
  if (invitation.email === undefined) return 'the invitation has no e-mail address';
  if (invitation.tokenGeneration !== message.tokenGeneration) return 'the invitation was rotated after it was queued';
  if (invitation.status === 'revoked') return 'the invitation was revoked';
  if (invitation.status === 'suspended') return 'the invitation is suspended';
  if (isPast(invitation.expiresAt, now)) return 'the invitation has expired';
  return undefined;
}

/** A string in single quotes for a POSIX shell: whatever it holds, the shell reads it back as it is. */
export const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The command a recipient runs, as the administrator guides' notification script writes it. */
export const acceptCommand = (encoded: string, name: string): string =>
  `prism profiles accept-invitation --encoded ${shellQuote(encoded)} --name ${shellQuote(name)}`;

/** The values a template may name, each as `{{name}}`. */
export const TEMPLATE_FIELDS = [
  'name',
  'encoded',
  'acceptCommand',
  'expiresAt',
  'validDays',
  'daysLeft',
  'type',
  'invitationId',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** A message ready to go: its subject and plain-text body. */
export interface MailContent {
  subject: string;
  text: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const SUBJECT_LINE = /^Subject:[ \t]*(.*)$/;

/**
 * A template parsed: the first line `Subject: …`, a blank line, then the body; `{{field}}` anywhere names a value
 * (TEMPLATE_FIELDS). Refused with the reason (and `source`, the template's name) when it is not of that shape or
 * names an unknown field, so an administrator's edit fails loudly rather than mailing a broken message.
 */
export function parseTemplate(template: string, source: string): { subject: string; body: string } {
  const [first = '', second, ...rest] = template.replace(/\r\n/g, '\n').split('\n');
  const subject = SUBJECT_LINE.exec(first)?.[1]?.trim();
  if (!subject) throw new Error(`${source}: the first line must be "Subject: …"`);
  if (second === undefined || second.trim() !== '') throw new Error(`${source}: a blank line must follow the subject`);
  for (const [, field] of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field!)) {
      throw new Error(`${source}: unknown field {{${field}}} (known: ${TEMPLATE_FIELDS.join(', ')})`);
    }
  }
  return { subject, body: rest.join('\n') };
}

/** The message `template` makes for `values`. The subject stays on one line whatever the values hold. */
export function renderMail(
  template: { subject: string; body: string },
  values: Record<TemplateField, string>,
): MailContent {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, field: TemplateField) => values[field]);
  return { subject: fill(template.subject).replace(/[\r\n]+/g, ' '), text: fill(template.body) };
}

/** The values of an invitation's message. */
export function templateValues(
  invitation: Pick<Invitation, 'id' | 'name' | 'type' | 'expiresAt' | 'validDays'>,
  encoded: string,
  now: Date,
): Record<TemplateField, string> {
  return {
    name: invitation.name,
    encoded,
    acceptCommand: acceptCommand(encoded, invitation.name),
    expiresAt: invitation.expiresAt,
    validDays: String(invitation.validDays),
    daysLeft: String(daysRemaining(invitation.expiresAt, now)),
    type: invitation.type,
    invitationId: invitation.id,
  };
}
