import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { runJob } from '../../../../../lambdas/usecases/jobs/run-job';
import { JOB_WORKS } from '../../../../../lambdas/usecases/jobs/works';
import { memoryDeps } from '../../../../support/memory/deps';
import { register } from '../../../../support/memory/registration';
import { ADMIN, AS_ADMIN } from '../../../../support/origins';

let deps = memoryDeps();
beforeEach(() => {
  deps = memoryDeps();
});

const issue = (request: Parameters<typeof issueInvitation>[1]) =>
  issueInvitation(deps, request, { origin: AS_ADMIN }).then(({ issued }) => issued);

describe('revoking and rotating on in-memory ports', () => {
  test('revocation cascades down the whole tree through a job and is final', async () => {
    const org = await issue({ name: 'Org Admin', type: 'admin', maxDevices: 3 });
    const dept = await issue({ name: 'Dept', type: 'admin', canInvite: true, parentId: org.invitation.id });
    const team = await issue({ name: 'Team', type: 'read_only', parentId: dept.invitation.id });
    await register(deps, team.invitation.id);
    const outcome = await revokeInvitation(deps, org.invitation.id, 'offboarding', true, AS_ADMIN);
    expect(outcome).toMatchObject({
      invitation: { status: 'revoked' },
      alreadyRevoked: false,
      job: { kind: 'revoke-cascade', state: 'queued', options: { rootId: org.invitation.id, reason: 'offboarding' } },
    });
    expect(deps.jobQueue.sent).toEqual([{ message: { jobId: outcome.job!.id }, kind: 'revoke-cascade' }]);
    await runJob(deps, outcome.job!, JOB_WORKS);
    expect(await deps.jobs.getJob(outcome.job!.id)).toMatchObject({
      state: 'completed',
      summary: { invitationsRevoked: 2, alreadyRevoked: 0, devicesRevoked: 1 },
    });
    for (const { invitation } of [dept, team]) {
      expect((await deps.store.getInvitation(invitation.id))!.value).toMatchObject({
        status: 'revoked',
        activeDevices: 0,
        revokeReason: 'offboarding',
      });
    }
    await expect(revokeInvitation(deps, org.invitation.id, undefined, false, AS_ADMIN)).rejects.toMatchObject({
      status: 409,
    });
    await expect(rotateInvitation(deps, org.invitation.id, AS_ADMIN)).rejects.toMatchObject({
      status: 409,
      code: 'invitation_revoked',
    });
  });

  test('a cascade asked for again on a revoked invitation is no conflict and starts another job', async () => {
    const { invitation } = await issue({ name: 'Org Admin', type: 'admin' });
    await revokeInvitation(deps, invitation.id, undefined, false, AS_ADMIN);
    const again = await revokeInvitation(deps, invitation.id, undefined, true, AS_ADMIN);
    expect(again).toMatchObject({ alreadyRevoked: true, revokedDeviceCount: 0, job: { kind: 'revoke-cascade' } });
  });

  test('a revocation planned before a registration lands re-plans and revokes the new device too', async () => {
    const { invitation } = await issue({ name: 'Team', type: 'read_only', maxDevices: 3, transferable: true });
    await register(deps, invitation.id);
    const hold = deps.tables.interleaving.hold('revokeDevices');
    const revoking = revokeInvitation(deps, invitation.id, 'left', false, AS_ADMIN);
    await hold.reached();
    await register(deps, invitation.id);
    hold.release();
    expect(await revoking).toMatchObject({
      revokedDeviceCount: 2,
      invitation: { status: 'revoked', activeDevices: 0 },
    });
    const devices = await deps.store.listDevices(invitation.id);
    expect(devices.map((device) => device.status)).toEqual(['revoked', 'revoked']);
  });

  test('every change writes one event with its actor and request, never the token', async () => {
    const origin = { ...AS_ADMIN, requestId: 'request-abc', sourceIp: '192.0.2.7' };
    const { issued } = await issueInvitation(deps, { name: 'audited', type: 'read_only' }, { origin });
    const rotated = await rotateInvitation(deps, issued.invitation.id, origin);
    await revokeInvitation(deps, issued.invitation.id, 'left', false, origin);
    const events = await deps.auditLog.ofTarget(issued.invitation.id);
    expect(events.map((e) => e.action)).toEqual(['invitation.created', 'invitation.rotated', 'invitation.revoked']);
    for (const e of events) expect(e).toMatchObject({ actor: ADMIN, requestId: 'request-abc', sourceIp: '192.0.2.7' });
    expect(events[2]!.details).toMatchObject({ reason: 'left', devicesRevoked: [] });
    const text = JSON.stringify(events);
    for (const secret of [issued.token, issued.encoded, rotated.token, rotated.encoded])
      expect(text).not.toContain(secret);
  });
});
