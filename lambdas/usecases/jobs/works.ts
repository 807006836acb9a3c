import { JOB_KINDS, type JobKind } from '../../domain/job';
import { type JobQueue, jobQueueOf } from '../../config';
import { auditArchive } from './audit-archive';
import { runDeviceOperations } from './device-operations';
import { expiredCleanup } from './expired-cleanup';
import { expiryReminders } from './expiry-reminders';
import { exportDevices } from './export-devices';
import { exportInvitations } from './export-invitations';
import type { JobWork, ResumableJobWork } from './job-run';
import { revokeEverything } from './revoke-all';
import { revokeCascade } from './revoke-cascade';
import { staleDevices } from './stale-devices';

/** The work of each kind of job. The scheduled audits are the exports, written under `audits/<day>/`. */
export const JOB_WORKS: Record<JobKind, JobWork | ResumableJobWork> = {
  'invitation-export': exportInvitations,
  'invitation-audit': exportInvitations,
  'device-export': exportDevices,
  'device-audit': exportDevices,
  'device-operations': runDeviceOperations,
  'revoke-all': revokeEverything,
  'revoke-cascade': revokeCascade(),
  'expired-cleanup': expiredCleanup,
  'audit-archive': auditArchive,
  'expiry-reminders': expiryReminders,
  'stale-devices': staleDevices,
};

/** The work of the jobs sent to `queue`: what the function it feeds runs (`jobQueueOf`). */
export const worksOf = (queue: JobQueue): Partial<Record<JobKind, JobWork | ResumableJobWork>> =>
  Object.fromEntries(JOB_KINDS.filter((kind) => jobQueueOf(kind) === queue).map((kind) => [kind, JOB_WORKS[kind]]));
