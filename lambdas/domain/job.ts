import { createHash } from 'node:crypto';
import { TIME_LEN, encodeTime } from 'ulid';

/** The jobs that run on a schedule (docs/SPEC.md §4.4), and on demand with `jobs run <job>`. */
export const SCHEDULED_JOBS = [
  'invitation-audit',
  'device-audit',
  'expired-cleanup',
  'audit-archive',
  'expiry-reminders',
  'stale-devices',
] as const;
export type ScheduledJob = (typeof SCHEDULED_JOBS)[number];

/** The jobs only an administrator starts (the scheduled ones can be started on demand too). */
export const ON_DEMAND_JOBS = [
  'invitation-export',
  'device-export',
  'device-operations',
  'revoke-all',
  'revoke-cascade',
] as const;

/**
 * Jobs: long work started by an administrator or a schedule and run by the job runner, tracked by one
 * record (state, progress, summary, result file). Every kind is safe to run twice.
 */
export const JOB_KINDS = [...ON_DEMAND_JOBS, ...SCHEDULED_JOBS] as const satisfies readonly string[];

export type JobKind = (typeof JOB_KINDS)[number];

/**
 * The bucket a job's result file lies in: the audit archive's own bucket for the archive, which no other job may
 * write; the registry bucket for any other.
 */
export const resultBucketOf = (kind: JobKind): 'registry' | 'auditArchive' =>
  kind === 'audit-archive' ? 'auditArchive' : 'registry';

/** The kinds whose result file `GET /exports/{id}` hands out. */
export const EXPORT_KINDS = ['invitation-export', 'device-export'] as const satisfies readonly JobKind[];

export type JobState = 'queued' | 'running' | 'completed' | 'failed';

export const DEVICE_OPERATIONS = ['revoke', 'validate', 'info'] as const;
export type DeviceOperation = (typeof DEVICE_OPERATIONS)[number];

export interface JobOptions {
  /** invitation-export: secrets (tokens and encoded invitations) in the file. */
  includeEncoded?: boolean;
  /** invitation-export: only invitations in this status. */
  status?: 'active' | 'suspended' | 'revoked' | 'expired';
  /** device-operations: the operation for rows that name none. */
  operation?: DeviceOperation;
  /** device-operations: the CSV starts with a header (default true). */
  hasHeader?: boolean;
  /** device-operations, revoke-all: invitations or rows worked on at once. */
  concurrency?: number;
  /** revoke-all, revoke-cascade: kept with every revocation. */
  reason?: string;
  /** revoke-cascade: the invitation whose descendants it revokes. */
  rootId?: string;
}

export interface JobProgress {
  processed: number;
  succeeded: number;
  failed: number;
}

/**
 * Where a resumable job stands, saved with its progress: its work's own position (the cascade's walk) and its
 * figures so far. The next invocation, or a retry after a crash, goes on from here.
 */
export interface JobCheckpoint {
  position: unknown;
  summary: Record<string, number>;
}

export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  options: JobOptions;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  completedAt?: string;
  progress: JobProgress;
  /** Figures the job reports when done, e.g. `{ invitationsSuspended: 12, devicesRevoked: 30 }`. */
  summary?: Record<string, number | string>;
  /** A resumable job's last saved checkpoint. */
  checkpoint?: JobCheckpoint;
  /** The job's input file (device operations) and result file in the bucket. */
  inputKey?: string;
  resultKey?: string;
  error?: { code: string; message: string };
  /** The request that started it, carried into the audit events the job writes. */
  requestId?: string;
  sourceIp?: string;
  /** The schedule and its time slot, for scheduled runs. */
  schedule?: { job: ScheduledJob; time: string };
}

/** The message that sets the runner going: a job already recorded, or a schedule's run for a time slot. */
export type JobMessage = { jobId: string } | { schedule: ScheduledJob; time: string };

export const isFinished = (job: Pick<Job, 'state'>): boolean => job.state === 'completed' || job.state === 'failed';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The id of a scheduled job's run for one time slot, the same however often the schedule fires for it: a
 * ULID whose time is the slot and whose randomness is the job's name, so a repeated delivery runs nothing twice.
 */
export function scheduledJobId(job: ScheduledJob, time: string): string {
  const digest = createHash('sha256').update(job).digest();
  const suffix = Array.from(digest.subarray(0, 16), (byte) => CROCKFORD[byte % 32]).join('');
  return `${encodeTime(Date.parse(time), TIME_LEN)}${suffix}`;
}
