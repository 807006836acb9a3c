import type { AuditEvent } from '../../../../../lambdas/domain/audit';
import { audit } from '../../../../../lambdas/usecases/audit';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { auditArchive } from '../../../../../lambdas/usecases/jobs/audit-archive';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { register } from '../../../../support/memory/registration';
import { scheduledRun } from '../../../../support/job-runs';
import { AS_ADMIN } from '../../../../support/origins';

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps({ now: new Date('2031-05-03T23:59:59Z') });
});

/** Appends an event of its own at `at`, as a job's start would. */
async function appendAt(at: string, targetId: string): Promise<AuditEvent> {
  deps.clock.now = new Date(at);
  const event = audit(deps, AS_ADMIN, 'job.started', targetId, { kind: 'invitation-audit' });
  await deps.auditLog.append(event);
  return event;
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEvent);

describe('audit archive on in-memory ports', () => {
  test("archives exactly the previous UTC day's events, oldest first; a second run writes the same file", async () => {
    await appendAt('2031-05-03T23:59:59Z', 'day-before');

    deps.clock.now = new Date('2031-05-04T00:00:00Z');
    const { issued } = await issueInvitation(deps, { name: 'archived', type: 'read_only' }, { origin: AS_ADMIN });
    const id = issued.invitation.id;
    deps.clock.now = new Date('2031-05-04T06:00:00Z');
    await register(deps, id, { deviceId: 'device-archived', hostname: 'h', username: 'u' }, AS_ADMIN);
    const sameSecond: AuditEvent[] = [];
    for (let n = 0; n < 12; n++) sameSecond.push(await appendAt('2031-05-04T12:00:00Z', `burst-${n}`));
    deps.clock.now = new Date('2031-05-04T23:59:59Z');
    await revokeInvitation(deps, id, 'done', false, AS_ADMIN);

    await appendAt('2031-05-05T00:00:00Z', 'day-after');

    const [created, revoked] = await deps.auditLog.ofTarget(id);
    const [registered] = await deps.auditLog.ofTarget('device-archived');
    const expected = [created!, registered!, ...sameSecond, revoked!];

    const outcome = await auditArchive(deps, scheduledRun('audit-archive', '2031-05-05T00:30:00Z'));
    const key = 'audit-log/2031/05/04.ndjson';
    expect(outcome).toEqual({
      progress: { processed: 15, succeeded: 15, failed: 0 },
      summary: { day: '2031-05-04', events: 15 },
      resultKey: key,
    });
    const file = (await deps.objects.text(key, 'auditArchive'))!;
    expect(lines(file)).toEqual(expected);
    expect(file.endsWith('\n')).toBe(true);
    expect(await deps.objects.readText(key)).toBeUndefined();

    await auditArchive(deps, scheduledRun('audit-archive', '2031-05-05T00:30:00Z'));
    expect(deps.objects.versions(key, 'auditArchive')).toEqual([file, file]);
  });

  test('a day without events gets an empty file', async () => {
    const outcome = await auditArchive(deps, scheduledRun('audit-archive', '2031-06-10T00:30:00Z'));
    expect(outcome.summary).toEqual({ day: '2031-06-09', events: 0 });
    expect(await deps.objects.text('audit-log/2031/06/09.ndjson', 'auditArchive')).toBe('');
  });
});
