import { decodeCursor, encodeCursor } from '../../../lambdas/ports/cursor';
import type { AuditEvent } from '../../../lambdas/domain/audit';
import type { Job, JobCheckpoint, JobKind, JobProgress } from '../../../lambdas/domain/job';
import type { FinishedFields, JobRepository } from '../../../lambdas/ports';
import type { MemoryTables } from './tables';

const isAfter = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

/** Job records in memory, with the state conditions of the DynamoDB adapter. */
export class MemoryJobStore implements JobRepository {
  constructor(private readonly tables: MemoryTables) {}

  createJob(job: Job, audit: AuditEvent): Promise<boolean> {
    const { jobs } = this.tables;
    return this.tables.landed('createJob', job.id, [
      { holds: () => !jobs.has(job.id), apply: () => jobs.set(job.id, structuredClone(job)) },
      this.tables.appendAudit(audit),
    ]);
  }

  getJob(id: string): Promise<Job | undefined> {
    return this.tables.read(() => this.tables.jobs.get(id));
  }

  /** Newest (highest id) first. */
  async listJobs(options: {
    limit: number;
    cursor?: string;
    kind?: JobKind;
  }): Promise<{ jobs: Job[]; cursor?: string }> {
    const after = decodeCursor(options.cursor, isAfter)?.after;
    return this.tables.read(() => {
      const matching = [...this.tables.jobs.values()]
        .filter((job) => options.kind === undefined || job.kind === options.kind)
        .filter((job) => after === undefined || job.id < after)
        .sort((a, b) => (a.id < b.id ? 1 : -1));
      const jobs = matching.slice(0, options.limit);
      const more = matching.length > options.limit;
      return { jobs, ...(more && { cursor: encodeCursor({ after: jobs[jobs.length - 1]!.id }) }) };
    });
  }

  start(id: string, at: string): Promise<boolean> {
    return this.change('start', id, ['queued', 'running'], (job) => {
      Object.assign(job, { state: 'running', updatedAt: at, startedAt: job.startedAt ?? at });
    });
  }

  reportProgress(id: string, progress: JobProgress, at: string, checkpoint?: JobCheckpoint): Promise<boolean> {
    return this.change('reportProgress', id, ['running'], (job) => {
      Object.assign(job, { progress: structuredClone(progress), updatedAt: at });
      if (checkpoint) job.checkpoint = structuredClone(checkpoint);
    });
  }

  finish(
    id: string,
    state: 'completed' | 'failed',
    fields: FinishedFields,
    at: string,
    audit: AuditEvent,
  ): Promise<boolean> {
    const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return this.change(
      'finish',
      id,
      ['queued', 'running'],
      (job) => Object.assign(job, structuredClone(defined), { state, updatedAt: at, completedAt: at }),
      audit,
    );
  }

  private change(
    operation: string,
    id: string,
    from: Job['state'][],
    apply: (job: Job) => void,
    audit?: AuditEvent,
  ): Promise<boolean> {
    const job = () => this.tables.jobs.get(id);
    return this.tables.landed(operation, id, [
      { holds: () => from.includes(job()?.state as Job['state']), apply: () => apply(job()!) },
      ...(audit ? [this.tables.appendAudit(audit)] : []),
    ]);
  }
}
