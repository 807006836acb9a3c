import { config } from '../../config';
import { type Invitation, dueForExpiryReminder } from '../../domain/invitation';
import { addDays, daysRemaining, rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import { deliveryDetails, queuedDelivery } from '../../domain/delivery';
import { mailMessageOf } from '../mail/queue';
import { type JobWork, emptyProgress } from './job-run';
import { mapInOrder } from './row-files';

const DEFAULT_CONCURRENCY = 5;

/**
 * The expiry reminders (docs/SPEC.md §4.8): one `invitation.expiring` event for each active invitation that expires
 * within the reminder days (`config.expiryReminderDays`) and was made to last longer, recorded with the invitation
 * in one transaction, so a second run, or a run racing this one, announces nothing twice. The event goes out on
 * the event bus and to the webhooks subscribed to it, as every audit event does. An invitation with an address is
 * also e-mailed a reminder (docs/SPEC.md §4.8), once: the same event queues it.
 */
export const expiryReminders: JobWork = async (deps, run) => {
  const now = deps.now();
  const days = config.expiryReminderDays();
  const progress = emptyProgress();
  const summary = { reminderDays: days, invitationsAnnounced: 0, alreadyAnnounced: 0, remindersQueued: 0 };
  const concurrency = run.job.options.concurrency ?? DEFAULT_CONCURRENCY;
  const candidates = deps.scan.expiringUnannounced(rfc3339(now), rfc3339(addDays(now, days)));
  const announce = async (invitation: Invitation): Promise<boolean | undefined> => {
    if (!dueForExpiryReminder(invitation, now, days)) return undefined;
    const reminder = invitation.email === undefined ? undefined : mailMessageOf(invitation, 'reminder');
    const event = audit(deps, run.origin, 'invitation.expiring', invitation.id, {
      expiresAt: invitation.expiresAt,
      daysLeft: daysRemaining(invitation.expiresAt, now),
      ...(reminder && deliveryDetails(reminder)),
    });
    const delivery = reminder && queuedDelivery(reminder, event.at);
    const announced = await deps.store.recordExpiryReminder(invitation.id, event.at, event, delivery);
    if (announced && reminder) summary.remindersQueued++;
    return announced;
  };
  for await (const announced of mapInOrder(candidates, concurrency, announce)) {
    if (announced === undefined) continue;
    progress.processed++;
    progress.succeeded++;
    if (announced) summary.invitationsAnnounced++;
    else summary.alreadyAnnounced++;
    run.progress(progress);
  }
  return { progress, summary };
};
