import type { Job, JobKind } from '../../../lambdas/domain/job';
import type { AuditLog, JobRepository } from '../../../lambdas/ports';
import { testJob } from '../job-runs';
import { eventOf, newId } from './fixtures';

export interface JobPorts {
  jobs: JobRepository;
  auditLog: Pick<AuditLog, 'ofTarget'>;
}

const AT = '2026-11-21T08:00:00Z';
const LATER = '2026-11-21T09:00:00Z';
const queued = (kind: JobKind = 'invitation-export', overrides: Partial<Job> = {}) =>
  testJob(kind, { id: newId(), state: 'queued', ...overrides });

/** The job repository's promises: a job is created once, runs while unfinished, and ends once. */
export function jobRepositoryContract(make: () => Promise<JobPorts>): void {
  let ports: JobPorts;
  beforeAll(async () => {
    ports = await make();
  });

  describe('job repository', () => {
    test('a job is created once, with its event; a repeated creation says so and changes nothing', async () => {
      const job = queued();
      expect(await ports.jobs.createJob(job, eventOf(job.id))).toBe(true);
      expect(await ports.jobs.getJob(job.id)).toEqual(job);
      expect(await ports.jobs.createJob({ ...job, options: { reason: 'again' } }, eventOf(job.id))).toBe(false);
      expect(await ports.jobs.getJob(job.id)).toEqual(job);
      expect(await ports.auditLog.ofTarget(job.id)).toHaveLength(1);
      expect(await ports.jobs.getJob('no-such-job')).toBeUndefined();
    });

    test('queued → running (again while running) → finished once; nothing moves a finished job', async () => {
      const job = queued();
      await ports.jobs.createJob(job, eventOf(job.id));
      expect(await ports.jobs.start(job.id, AT)).toBe(true);
      expect(await ports.jobs.start(job.id, LATER)).toBe(true);
      expect(await ports.jobs.getJob(job.id)).toMatchObject({ state: 'running', startedAt: AT, updatedAt: LATER });
      const progress = { processed: 2, succeeded: 1, failed: 1 };
      const checkpoint = { position: ['a'], summary: { n: 1 } };
      expect(await ports.jobs.reportProgress(job.id, progress, LATER, checkpoint)).toBe(true);
      expect(await ports.jobs.getJob(job.id)).toMatchObject({ progress, checkpoint });

      const fields = { progress, summary: { rows: 2 }, resultKey: 'jobs/x.csv', error: undefined };
      expect(await ports.jobs.finish(job.id, 'completed', fields, LATER, eventOf(job.id))).toBe(true);
      const done = await ports.jobs.getJob(job.id);
      expect(done).toMatchObject({
        state: 'completed',
        completedAt: LATER,
        summary: { rows: 2 },
        resultKey: 'jobs/x.csv',
      });
      expect(done).not.toHaveProperty('error');
      expect(await ports.jobs.finish(job.id, 'failed', { progress }, LATER, eventOf(job.id))).toBe(false);
      expect(await ports.jobs.start(job.id, LATER)).toBe(false);
      expect(await ports.jobs.reportProgress(job.id, progress, LATER)).toBe(false);
      expect(await ports.jobs.getJob(job.id)).toEqual(done);
      expect(await ports.auditLog.ofTarget(job.id)).toHaveLength(2);
      expect(await ports.jobs.start('no-such-job', AT)).toBe(false);
    });

    test('progress is written only while the job runs; a queued job can fail without running', async () => {
      const job = queued();
      await ports.jobs.createJob(job, eventOf(job.id));
      expect(await ports.jobs.reportProgress(job.id, { processed: 1, succeeded: 1, failed: 0 }, AT)).toBe(false);
      const error = { code: 'wrong_runner', message: 'run elsewhere' };
      expect(await ports.jobs.finish(job.id, 'failed', { progress: job.progress, error }, AT, eventOf(job.id))).toBe(
        true,
      );
      expect(await ports.jobs.getJob(job.id)).toMatchObject({ state: 'failed', error });
    });

    test('jobs list newest first, a page at a time, optionally of one kind', async () => {
      const kind: JobKind = 'device-audit';
      const made: Job[] = [];
      for (let n = 0; n < 5; n++) {
        const job = queued(n % 2 === 0 ? kind : 'device-export');
        await ports.jobs.createJob(job, eventOf(job.id));
        made.push(job);
      }
      const ofKind = made
        .filter((job) => job.kind === kind)
        .map((job) => job.id)
        .reverse();
      const first = await ports.jobs.listJobs({ limit: 2, kind });
      expect(first.jobs.map((job) => job.id)).toEqual(ofKind.slice(0, 2));
      const rest = await ports.jobs.listJobs({ limit: 10, kind, cursor: first.cursor });
      expect(rest.jobs.map((job) => job.id).filter((id) => ofKind.includes(id))).toEqual(ofKind.slice(2));
      expect(rest.jobs.every((job) => job.kind === kind)).toBe(true);
    });
  });
}
