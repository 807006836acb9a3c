import type { AuditAction, Origin } from '../../domain/audit';
import {
  type Job,
  type JobKind,
  type JobOptions,
  scheduledJobId,
  SCHEDULED_JOBS,
  type ScheduledJob,
} from '../../domain/job';
import { rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { emptyProgress, inputKeyOf } from './job-run';
import { staleDeviceDays } from './stale-devices';

/** The audit action that records a job's start: exports and the emergency revocation have their own. */
const START_ACTIONS: Partial<Record<JobKind, AuditAction>> = {
  'invitation-export': 'export.created',
  'device-export': 'export.created',
  'revoke-all': 'emergency.revoke_all',
};

const isScheduledJob = (kind: JobKind): kind is ScheduledJob => (SCHEDULED_JOBS as readonly string[]).includes(kind);

/** What starts every scheduled run: the system, named after the job (docs/SPEC.md §4.1). */
export const systemOrigin = (job: ScheduledJob): Origin => ({ actor: `system:${job}` });

function newJob(deps: Deps, id: string, kind: JobKind, options: JobOptions, origin: Origin): Job {
  const now = rfc3339(deps.now());
  return {
    id,
    kind,
    state: 'queued',
    options,
    createdBy: origin.actor,
    createdAt: now,
    updatedAt: now,
    progress: emptyProgress(),
    ...(origin.requestId !== undefined && { requestId: origin.requestId }),
    ...(origin.sourceIp !== undefined && { sourceIp: origin.sourceIp }),
  };
}

function startEvent(deps: Deps, job: Job, origin: Origin) {
  const { includeEncoded, status, operation, concurrency, reason, rootId } = job.options;
  return audit(deps, origin, START_ACTIONS[job.kind] ?? 'job.started', job.id, {
    kind: job.kind,
    includeEncoded,
    status,
    operation,
    concurrency,
    reason,
    rootId,
    schedule: job.schedule?.time,
  });
}

/**
 * Records a job (with its start in the audit log), stores its input file if it has one, and hands it to
 * the function that runs its kind, through that function's queue. The job record exists before the runner can see
 * the message.
 */
export async function startJob(
  deps: Deps,
  kind: JobKind,
  options: JobOptions,
  origin: Origin,
  inputCsv?: string,
): Promise<Job> {
  // A job the deployment leaves off is refused here, not failed later by the runner.
  if (kind === 'stale-devices') staleDeviceDays();
  const id = deps.newId();
  const job = newJob(deps, id, kind, options, origin);
  // A scheduled job run on demand writes where its scheduled runs do (`audits/<today>/…`).
  if (isScheduledJob(kind)) job.schedule = { job: kind, time: job.createdAt };
  if (inputCsv !== undefined) {
    job.inputKey = inputKeyOf(id);
    await deps.objects.write(job.inputKey, inputCsv, 'text/csv; charset=utf-8');
  }
  await deps.jobs.createJob(job, startEvent(deps, job, origin));
  await deps.jobQueue.send({ jobId: id }, kind);
  return job;
}

/**
 * The job of a schedule's time slot, created on its first delivery: EventBridge delivers at least once,
 * so a repeated delivery finds the same job rather than starting another.
 */
export async function scheduledJob(deps: Deps, schedule: ScheduledJob, time: string): Promise<Job> {
  const id = scheduledJobId(schedule, time);
  const origin = systemOrigin(schedule);
  const job: Job = { ...newJob(deps, id, schedule, {}, origin), schedule: { job: schedule, time } };
  await deps.jobs.createJob(job, startEvent(deps, job, origin));
  const recorded = await deps.jobs.getJob(id);
  if (!recorded) throw new Error(`Job ${id} of schedule ${schedule} at ${time} was not recorded`);
  return recorded;
}
