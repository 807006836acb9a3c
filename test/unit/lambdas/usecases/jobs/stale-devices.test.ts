import type { Device } from '../../../../../lambdas/domain/device';
import { RegistryError } from '../../../../../lambdas/domain/errors';
import { validateRegistration } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { staleDevices } from '../../../../../lambdas/usecases/jobs/stale-devices';
import { startJob } from '../../../../../lambdas/usecases/jobs/start-job';
import { ENV } from '../../../../../system/resources';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { register } from '../../../../support/memory/registration';
import { scheduledRun } from '../../../../support/job-runs';
import { AS_ADMIN } from '../../../../support/origins';

const SYSTEM = 'system:stale-devices';
const CREATED = new Date('2026-09-01T08:00:00Z');
/** 40 days on: devices registered then and never seen again are stale at 30 days. */
const RUN = new Date('2026-10-11T08:00:00Z');

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps({ now: CREATED });
  process.env[ENV.staleDeviceDays] = '30';
});
afterEach(() => {
  delete process.env[ENV.staleDeviceDays];
});

const issue = (name: string) =>
  issueInvitation(deps, { name, type: 'read_only', validDays: 365, maxDevices: 3 }, { origin: AS_ADMIN }).then(
    ({ issued }) => issued,
  );

const run = () => staleDevices(deps, scheduledRun('stale-devices', deps.clock.now.toISOString()));

const deviceNow = async (device: Device) => (await deps.store.getDevice(device.invitationId, device.deviceId))!;

describe('stale devices on in-memory ports', () => {
  test('revokes the devices unseen for the days as the system, keeps those seen since; a second run finds none', async () => {
    const { invitation, token } = await issue('lab');
    const stale = await register(deps, invitation.id);
    const seen = await register(deps, invitation.id);
    deps.clock.now = new Date('2026-10-01T08:00:00Z');
    expect(await validateRegistration(deps, token, seen.deviceId)).toEqual({ valid: true });
    deps.clock.now = RUN;

    const first = await run();
    expect(first.summary).toEqual({ staleDeviceDays: 30, devicesRevoked: 1, seenMeanwhile: 0 });
    expect(await deviceNow(stale)).toMatchObject({
      status: 'revoked',
      revokedBy: SYSTEM,
      revokeReason: 'not seen for 30 days',
      revokedAt: '2026-10-11T08:00:00Z',
    });
    expect(await deviceNow(seen)).toMatchObject({ status: 'active' });
    expect((await deps.store.getInvitation(invitation.id))!.value.activeDevices).toBe(1);
    expect(await deps.auditLog.ofTarget(stale.deviceId)).toEqual([
      expect.objectContaining({ action: 'device.registered' }),
      expect.objectContaining({
        action: 'device.revoked',
        actor: SYSTEM,
        details: expect.objectContaining({
          invitationId: invitation.id,
          reason: 'not seen for 30 days',
          lastSeenAt: '2026-09-01T08:00:00Z',
        }),
      }),
    ]);
    expect(await validateRegistration(deps, token, stale.deviceId)).toMatchObject({ valid: false });

    const second = await run();
    expect(second.summary).toEqual({ staleDeviceDays: 30, devicesRevoked: 0, seenMeanwhile: 0 });
  });

  test('a device validated between the scan and its revocation is kept', async () => {
    const { invitation, token } = await issue('lab');
    const device = await register(deps, invitation.id);
    deps.clock.now = RUN;
    const scan = deps.scan.devicesUnseenSince.bind(deps.scan);
    deps.scan.devicesUnseenSince = async function* (cutoff: string) {
      const found: Device[] = [];
      for await (const stale of scan(cutoff)) found.push(stale);
      expect(await validateRegistration(deps, token, device.deviceId)).toEqual({ valid: true });
      yield* found;
    };

    expect((await run()).summary).toEqual({ staleDeviceDays: 30, devicesRevoked: 0, seenMeanwhile: 1 });
    expect(await deviceNow(device)).toMatchObject({ status: 'active', lastSeenAt: '2026-10-11T08:00:00Z' });
  });

  test('is off without its days: a run is refused before it is queued, and a queued one fails saying so', async () => {
    delete process.env[ENV.staleDeviceDays];
    const refusal = { status: 409, code: 'job_off', message: expect.stringContaining('stale-devices is off') };
    await expect(startJob(deps, 'stale-devices', {}, AS_ADMIN)).rejects.toBeInstanceOf(RegistryError);
    await expect(startJob(deps, 'stale-devices', {}, AS_ADMIN)).rejects.toMatchObject(refusal);
    await expect(run()).rejects.toMatchObject(refusal);
    expect((await deps.jobs.listJobs({ limit: 10 })).jobs).toEqual([]);
  });
});
