import type { Device } from '../domain/device';
import type { Invitation, InvitationStatus } from '../domain/invitation';

/**
 * Only invitations in `status` (docs/SPEC.md §1.1: `expired` whenever `expiresAt` has passed at `now`, whatever is
 * stored).
 */
export interface StatusFilter {
  status: InvitationStatus;
  now: Date;
}

/**
 * Whole-registry reads for exports and audits. Each streams: the caller pulls the next item only when it has
 * taken the last, so the registry is never held in memory.
 */
export interface RegistryScan {
  invitations(filter?: StatusFilter): AsyncGenerator<Invitation>;
  /** Every invitation with its devices. */
  devicesWithInvitations(): AsyncGenerator<{ invitation: Invitation; devices: Device[] }>;
  /** Ids of the invitations expired at `now` whose removal is not scheduled yet: the cleanup's work. */
  expiredAwaitingRemoval(now: string): AsyncGenerator<string>;
  /**
   * Active invitations not announced yet whose expiry falls after `now` and at or before `until`: the expiry
   * reminders' candidates (`dueForExpiryReminder` decides).
   */
  expiringUnannounced(now: string, until: string): AsyncGenerator<Invitation>;
  /** Active devices whose `lastSeenAt` is before `cutoff`: the stale-device job's candidates. */
  devicesUnseenSince(cutoff: string): AsyncGenerator<Device>;
}
