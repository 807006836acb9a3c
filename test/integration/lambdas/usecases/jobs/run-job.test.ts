import { parse } from 'csv-parse/sync';
import { JOB_KINDS, scheduledJobId } from '../../../../../lambdas/domain/job';
import type { IssuedInvitation } from '../../../../../lambdas/contract/views';
import { registerDevice, validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { runJob } from '../../../../../lambdas/usecases/jobs/run-job';
import { scheduledJob, startJob } from '../../../../../lambdas/usecases/jobs/start-job';
import { JOB_WORKS, worksOf } from '../../../../../lambdas/usecases/jobs/works';
import { rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { ADMIN, AS_ADMIN, isolatedDeps } from '../../../../support/deps';

jest.setTimeout(300_000);

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;
const origin = { ...AS_ADMIN, requestId: 'request-jobs', sourceIp: '192.0.2.9' };

/** `work` over `items`, `limit` at a time. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(work))));
  }
  return results;
}

const issue = (deps: Deps, name: string, maxDevices = 1) =>
  issueInvitation(deps, { name, type: 'read_write', maxDevices, transferable: true }, { origin }).then((r) => r.issued);

async function registerDevices(deps: Deps, issued: IssuedInvitation, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, n) => `device-${issued.invitation.id}-${n}`);
  for (const deviceId of ids) {
    const known = (await deps.store.lineage(issued.invitation.id, deviceId))!;
    await registerDevice(deps, known, { deviceId, hostname: 'host', username: `user-${deviceId}` }, AS_ADMIN);
  }
  return ids;
}

/** Starts a job as the API does and runs it as the job runner does. */
async function startAndRun(deps: Deps, ...args: Parameters<typeof startJob> extends [unknown, ...infer R] ? R : never) {
  const started = await startJob(deps, ...args);
  await runJob(deps, (await deps.jobs.getJob(started.id))!, JOB_WORKS);
  return (await deps.jobs.getJob(started.id))!;
}

describe('emergency revoke-all over thousands of devices', () => {
  let deps: Deps;
  let invitations: { issued: IssuedInvitation; devices: string[] }[];

  beforeAll(async () => {
    deps = await isolatedDeps();
    const issued = await inParallel(
      Array.from({ length: 400 }, (_, n) => n),
      16,
      (n) => issue(deps, `fleet-${n}`, 5),
    );
    invitations = await inParallel(issued, 16, async (one) => ({
      issued: one,
      devices: await registerDevices(deps, one, 5),
    }));
  });

  test('every device is revoked, every invitation suspended, each with its audit event; a rerun changes nothing', async () => {
    const job = await startAndRun(deps, 'revoke-all', { concurrency: 8 }, origin);
    expect(job).toMatchObject({
      state: 'completed',
      summary: { invitationsSuspended: 400, devicesRevoked: 2000 },
      progress: { processed: 2000, succeeded: 2000, failed: 0 },
      resultKey: `jobs/${job.id}.csv`,
    });
    const rows = parse((await deps.objects.readText(job.resultKey!))!, { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(2000);
    expect(new Set(rows.map((row) => row['Device ID'])).size).toBe(2000);
    expect(rows.every((row) => row.Operation === 'revoke' && row.Status === 'Success' && row['Registered At'])).toBe(
      true,
    );

    for (const { issued } of invitations.slice(0, 40)) {
      expect((await deps.store.getInvitation(issued.invitation.id))!.value).toMatchObject({
        status: 'suspended',
        activeDevices: 0,
      });
    }
    for (const { issued, devices } of invitations.slice(0, 40)) {
      expect(await validateRegistration(deps, issued.token, devices[0]!)).toMatchObject({ valid: false });
      await expect(registerDevices(deps, issued, 1)).rejects.toMatchObject({ code: 'invitation_suspended' });
    }
    const statuses = await inParallel(invitations, 16, async ({ issued }) =>
      (await deps.store.listDevices(issued.invitation.id)).map((device) => device.status),
    );
    expect(statuses.flat().filter((status) => status !== 'revoked')).toEqual([]);

    const events = await deps.auditLog.ofTarget(invitations[0]!.issued.invitation.id);
    const suspension = events.find((event) => event.action === 'invitation.suspended')!;
    expect(suspension).toMatchObject({ actor: ADMIN, requestId: 'request-jobs', details: { jobId: job.id } });
    expect(suspension.details.devicesRevoked).toHaveLength(5);
    const started = await deps.auditLog.ofTarget(job.id);
    expect(started.map((event) => event.action)).toEqual(['emergency.revoke_all', 'job.completed']);
    expect(started[0]).toMatchObject({ actor: ADMIN, sourceIp: '192.0.2.9' });

    const again = await startAndRun(deps, 'revoke-all', {}, origin);
    expect(again).toMatchObject({
      state: 'completed',
      summary: { invitationsSuspended: 0, devicesRevoked: 0 },
      progress: { processed: 0 },
    });
    expect(await deps.auditLog.ofTarget(invitations[0]!.issued.invitation.id)).toHaveLength(events.length);
  });

  test('a rotated invitation is active again, takes new devices, and the old ones stay revoked', async () => {
    const { issued, devices } = invitations[1]!;
    const rotated = await rotateInvitation(deps, issued.invitation.id, origin);
    expect(rotated.invitation.status).toBe('active');
    expect(await validateRegistration(deps, rotated.token, devices[0]!)).toMatchObject({ valid: false });
    const fresh = { deviceId: `device-after-rotation-${issued.invitation.id}`, hostname: 'new', username: 'new' };
    const known = (await deps.store.lineage(issued.invitation.id, fresh.deviceId))!;
    await expect(registerDevice(deps, known, fresh, AS_ADMIN)).resolves.toMatchObject({ status: 'active' });
  });
});

describe('the job runner', () => {
  let deps: Deps;
  beforeAll(async () => {
    deps = await isolatedDeps();
  });

  test('a job goes queued → running → completed once, audited from start to end; running it again does nothing', async () => {
    await issue(deps, 'exported');
    const started = await startJob(deps, 'invitation-export', { includeEncoded: false }, origin);
    expect(started).toMatchObject({ state: 'queued', createdBy: ADMIN, requestId: 'request-jobs' });
    await runJob(deps, started, JOB_WORKS);
    const done = (await deps.jobs.getJob(started.id))!;
    expect(done).toMatchObject({ state: 'completed', summary: { invitations: 1 }, progress: { processed: 1 } });
    await runJob(deps, done, JOB_WORKS);
    await runJob(deps, started, JOB_WORKS);
    const events = await deps.auditLog.ofTarget(started.id);
    expect(events.map((event) => [event.action, event.actor])).toEqual([
      ['export.created', ADMIN],
      ['job.completed', ADMIN],
    ]);
    expect(events[0]!.details).toMatchObject({ kind: 'invitation-export', includeEncoded: false });
    expect(events[1]!.details).toMatchObject({ invitations: 1, resultKey: `jobs/${started.id}.csv` });
  });

  test('a schedule delivered twice for one time slot makes one job; its audit lands under audits/<day>/', async () => {
    await issue(deps, 'audited');
    const time = '2026-11-22T00:00:00Z';
    const first = await scheduledJob(deps, 'invitation-audit', time);
    const second = await scheduledJob(deps, 'invitation-audit', time);
    expect(second.id).toBe(first.id);
    expect(first.id).toBe(scheduledJobId('invitation-audit', time));
    expect(first).toMatchObject({ createdBy: 'system:invitation-audit', schedule: { job: 'invitation-audit', time } });
    await runJob(deps, first, JOB_WORKS);
    await runJob(deps, await scheduledJob(deps, 'invitation-audit', time), JOB_WORKS);
    const job = (await deps.jobs.getJob(first.id))!;
    expect(job).toMatchObject({ state: 'completed', resultKey: 'audits/2026-11-22/invitations.csv' });
    const csv = (await deps.objects.readText(job.resultKey!))!;
    expect(csv.split('\r\n')[0]).toMatch(
      /^Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Error(,|$)/,
    );
    expect(csv).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);
    expect((await deps.auditLog.ofTarget(first.id)).map((event) => event.action)).toEqual([
      'job.started',
      'job.completed',
    ]);
  });

  test('a refused input fails the job with the reason, audited; it is not retried', async () => {
    const job = await startAndRun(deps, 'device-operations', { hasHeader: true }, origin, 'Colour,Shape\nred,round\n');
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'no_header_columns' });
    expect(job.error!.message).toMatch(/Device ID/);
    const events = await deps.auditLog.ofTarget(job.id);
    expect(events.map((event) => event.action)).toEqual(['job.started', 'job.failed']);
    expect(events[1]!.details).toMatchObject({ code: 'no_header_columns' });
  });
});

describe('the function that runs a job', () => {
  test('each job queue feeds the work of its own kinds: the archive queue the audit archive alone', () => {
    expect(Object.keys(worksOf('archiveJobs'))).toEqual(['audit-archive']);
    expect(Object.keys(worksOf('jobs'))).toEqual(JOB_KINDS.filter((kind) => kind !== 'audit-archive'));
  });

  test('a job that reached a function which does not run its kind fails at once, with nothing done', async () => {
    const deps = await isolatedDeps();
    const job = await scheduledJob(deps, 'audit-archive', '2031-08-02T00:30:00Z');
    expect(await runJob(deps, job, worksOf('jobs'))).toEqual({ kind: 'audit-archive', state: 'failed' });
    expect(await deps.jobs.getJob(job.id)).toMatchObject({
      state: 'failed',
      progress: { processed: 0 },
      error: { code: 'wrong_runner' },
    });
  });
});
