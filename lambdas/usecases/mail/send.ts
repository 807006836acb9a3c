import { MAIL_RETRY_SCHEDULE_SECONDS, config } from '../../config';
import type { Origin } from '../../domain/audit';
import {
  type Delivery,
  type DeliveryStatus,
  type MailMessage,
  parseTemplate,
  renderMail,
  templateValues,
  unsendable,
} from '../../domain/delivery';
import { maskAddresses } from '../../domain/email';
import { encodeInvitation } from '../../domain/encoding';
import type { Invitation } from '../../domain/invitation';
import { rfc3339 } from '../../domain/time';
import { deriveToken } from '../../domain/tokens';
import { afterFailure } from '../../domain/webhook';
import { MailRefused } from '../../ports/mail';
import { audit } from '../audit';
import type { Deps } from '../deps';

/** The registry's own jobs act as this principal: the mailer and the mail service's reports. */
export const MAILER: Origin = { actor: 'system:mailer' };

/**
 * How an attempt at a queued e-mail ended: `sent`; `dropped` (nothing to do: the invitation is gone, or a newer
 * message took its place); `failed` for good (recorded); `retry` after `retryAfterSeconds`; or `held` (another
 * mailer holds the claim): looked at again after `retryAfterSeconds`, when the claim would be stale.
 */
export type MailOutcome =
  | { outcome: 'sent' }
  | { outcome: 'dropped' }
  | { outcome: 'failed' }
  | { outcome: 'retry'; retryAfterSeconds: number; error: string }
  | { outcome: 'held'; retryAfterSeconds: number };

/** Records a delivery status on the invitation with its `invitation.delivery` event (never the address). */
function record(
  deps: Deps,
  invitation: Pick<Invitation, 'id'>,
  delivery: Delivery,
  onlyIf?: { messageId: string },
): Promise<boolean> {
  const event = audit(deps, MAILER, 'invitation.delivery', invitation.id, {
    kind: delivery.kind,
    status: delivery.status,
    error: delivery.error,
  });
  return deps.store.recordDelivery(invitation.id, delivery, event, onlyIf);
}

/**
 * How long a claim on a queued e-mail holds: longer than a mailer's attempt (its timeout), shorter than the queue's
 * visibility timeout, so a message whose mailer died is claimed again when the queue hands it over again.
 */
const CLAIM_SECONDS = 120;

/** Whether `delivery` is still waiting for `message`: queued for its kind and its token generation. */
const awaited = (delivery: Delivery | undefined, message: MailMessage): boolean =>
  delivery?.status === 'queued' &&
  delivery.kind === message.kind &&
  delivery.tokenGeneration === message.tokenGeneration;

/** Seconds until a claim taken at `claimedAt` is stale, and one more; CLAIM_SECONDS and one when it is not known. */
function untilStale(claimedAt: string | undefined, now: Date): number {
  const left = (Date.parse(claimedAt ?? '') + CLAIM_SECONDS * 1000 - now.getTime()) / 1000;
  return (Number.isNaN(left) ? CLAIM_SECONDS : Math.min(CLAIM_SECONDS, Math.max(0, Math.ceil(left)))) + 1;
}

const loadTemplate = async (deps: Deps, kind: MailMessage['kind']) =>
  parseTemplate(await deps.mailTemplates(kind), `${kind}.txt`);

/**
 * One attempt (`attempt`, 1 for the first) at a queued e-mail (docs/SPEC.md §4.8): the invitation read afresh, so a
 * revocation, a suspension or a rotation since it was queued stops it; the template the administrator left, filled
 * with the encoded invitation and the command that accepts it; sent, and the invitation's delivery set to `sent`
 * with the mail service's message id. A refusal sending again cannot cure, or the last attempt's failure, sets it
 * `failed` with the reason; any other failure is tried again on MAIL_RETRY_SCHEDULE_SECONDS.
 */
export async function sendQueuedMail(deps: Deps, message: MailMessage, attempt: number): Promise<MailOutcome> {
  const stored = await deps.store.getInvitation(message.invitationId);
  if (!stored) return { outcome: 'dropped' };
  const invitation = stored.value;
  // Only the message the invitation awaits is sent: not one a newer message (a resend, a reminder) replaced, nor
  // one the queue handed over twice after it was sent.
  if (!awaited(invitation.delivery, message)) return { outcome: 'dropped' };
  const now = deps.now();
  const base = { kind: message.kind, tokenGeneration: message.tokenGeneration };
  const failed = async (error: string): Promise<MailOutcome> => {
    await record(deps, invitation, { ...base, status: 'failed', at: rfc3339(deps.now()), error });
    return { outcome: 'failed' };
  };
  const problem = unsendable(invitation, message, now);
  if (problem) return failed(problem);
  // A template the administrator broke fails the message with what is wrong, rather than retrying it unseen.
  const template = await loadTemplate(deps, message.kind).catch((error: Error) => error);
  if (template instanceof Error) return failed(template.message);
  const staleBefore = rfc3339(new Date(now.getTime() - CLAIM_SECONDS * 1000));
  // Another mailer holds the claim. It may have died holding it (killed, timed out, a stack stopped with `kill -9`)
  // while its copy of the message came back at once: dropping this one would lose the e-mail. It is looked at again
  // once the claim would be stale: dropped then if that mailer sent it, claimed and sent if it did not.
  if (!(await deps.store.claimDelivery(invitation.id, message, rfc3339(now), staleBefore)))
    return { outcome: 'held', retryAfterSeconds: untilStale(invitation.delivery?.claimedAt, now) };

  const ring = await deps.keyRing();
  const token = deriveToken(ring, invitation.keyId, invitation.id, invitation.tokenGeneration);
  const encoded = encodeInvitation(invitation, token, ring, config.registryApiUrl());
  const content = renderMail(template, templateValues(invitation, encoded, now));
  try {
    const { messageId } = await deps.sendMail({ ...content, to: invitation.email!, invitationId: invitation.id });
    await record(deps, invitation, { ...base, status: 'sent', at: rfc3339(deps.now()), messageId });
    return { outcome: 'sent' };
  } catch (error) {
    const reason = maskAddresses(error instanceof Error ? error.message : String(error));
    if (error instanceof MailRefused && error.permanent) return failed(reason);
    const next = afterFailure(attempt, MAIL_RETRY_SCHEDULE_SECONDS);
    if ('deadLettered' in next) return failed(`gave up after ${attempt} attempts: ${reason}`);
    // Released, so the next attempt can claim it.
    const { claimedAt: _claimed, ...queued } = invitation.delivery!;
    await deps.store.recordDelivery(invitation.id, queued);
    return { outcome: 'retry', retryAfterSeconds: next.retryAfterSeconds, error: reason };
  }
}

/** What the mail service reported of a message it was given: delivered, bounced, complained of, or refused. */
export interface MailReport {
  invitationId: string;
  messageId: string;
  status: Extract<DeliveryStatus, 'delivered' | 'bounced' | 'complained' | 'failed'>;
  at: string;
  /** The service's reason (a bounce's type), addresses masked. */
  error?: string;
}

/**
 * Records a report of the mail service on its invitation (docs/SPEC.md §4.8), only while the invitation's delivery
 * is still that message's: a late report on an earlier message changes nothing. False when it changed nothing.
 */
export async function recordMailReport(deps: Deps, report: MailReport): Promise<boolean> {
  const stored = await deps.store.getInvitation(report.invitationId);
  const current = stored?.value.delivery;
  if (!stored || current?.messageId !== report.messageId) return false;
  const delivery: Delivery = {
    kind: current.kind,
    tokenGeneration: current.tokenGeneration,
    messageId: report.messageId,
    status: report.status,
    at: report.at,
    ...(report.error !== undefined && { error: maskAddresses(report.error) }),
  };
  return record(deps, stored.value, delivery, { messageId: report.messageId });
}
