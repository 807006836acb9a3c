import { parse } from 'csv-parse/sync';
import { DEVICE_RESULT_COLUMNS } from '../../../../../lambdas/domain/csv/devices';
import { decodeInvitation } from '../../../../../lambdas/domain/encoding';
import type { Job, JobOptions } from '../../../../../lambdas/domain/job';
import { addDays } from '../../../../../lambdas/domain/time';
import type { ScheduledJob } from '../../../../../system/resources';
import { registerDevice, revokeDevice } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import type { JobWork } from '../../../../../lambdas/usecases/jobs/job-run';
import { exportDevices } from '../../../../../lambdas/usecases/jobs/export-devices';
import { exportInvitations } from '../../../../../lambdas/usecases/jobs/export-invitations';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import type { HandedOut } from '../../../../../lambdas/domain/invitation';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { ADMIN, AS_ADMIN, AS_RECIPIENT } from '../../../../support/origins';
import { testKeyRing } from '../../../../support/invitations';
import { testJob, testRun } from '../../../../support/job-runs';

const T0 = new Date('2026-11-21T08:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const HOSTILE = `=cmd|' /C calc'!A0`;
/** A plausible address that a spreadsheet would read as a formula: exported neutralised, never refused. */
const HOSTILE_EMAIL = '=cmd@x.io';
const REQUIRED = 'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status';
const EXPORT_EXTRAS =
  'Id,Invitation Status,Created,Expires,Parent Id,Active Devices,Batch Id,Max Descendants,Descendants Created,Email';

let deps: MemoryDeps;
let live: HandedOut;
let revoked: HandedOut;
let expired: HandedOut;
const laptop = 'device-exports-a';
const phone = 'device-exports-b';

async function issue(name: string, validDays: number, now: Date, email?: string): Promise<HandedOut> {
  deps.clock.now = now;
  const { issued } = await issueInvitation(
    deps,
    { name, type: 'read_write', validDays, maxDevices: 3, ...(email && { email }) },
    { origin: AS_ADMIN },
  );
  return issued;
}

async function register(invitationId: string, request: Parameters<typeof registerDevice>[2], now: Date) {
  deps.clock.now = now;
  await registerDevice(deps, (await deps.store.lineage(invitationId, request.deviceId))!, request, AS_RECIPIENT);
}

/** Runs a job's work at `now` and reads back the file it wrote, as header and rows keyed by header. */
async function run(work: JobWork, job: Job, now: Date) {
  deps.clock.now = now;
  const outcome = await work(deps, testRun(job));
  const text = (await deps.objects.readText(outcome.resultKey!))!;
  const rows: Record<string, string>[] = parse(text, { columns: true });
  return { outcome, text, header: text.slice(0, text.indexOf('\r\n')), rows };
}

const exportJob = (options: JobOptions) => testJob('invitation-export', { options });
const scheduled = (job: ScheduledJob, time: string) => testJob(job, { schedule: { job, time } });

beforeAll(async () => {
  deps = memoryDeps();
  live = await issue(HOSTILE, 30, T0, HOSTILE_EMAIL);
  await register(live.invitation.id, { deviceId: laptop, hostname: '+evil', username: 'ana', label: '@desk' }, at(1));
  await register(live.invitation.id, { deviceId: phone, hostname: 'phone-7', username: 'ana' }, at(2));
  deps.clock.now = at(3);
  await revokeDevice(deps, live.invitation.id, phone, 'lost; in a taxi', AS_ADMIN);
  revoked = await issue('Revoked', 30, T0);
  await revokeInvitation(deps, revoked.invitation.id, 'left', false, AS_ADMIN);
  expired = await issue('Expired', 2, addDays(T0, -10));
});

describe('invitation export (SPEC §2.2) on in-memory ports', () => {
  test('every invitation, no secrets: masked hints, days remaining rounded up, neutralised names', async () => {
    const job = testJob('invitation-export');
    const { outcome, text, header, rows } = await run(exportInvitations, job, at(36));
    expect(header).toBe(`${REQUIRED},Error,${EXPORT_EXTRAS}`);
    expect(outcome).toEqual({
      progress: { processed: 3, succeeded: 3, failed: 0 },
      resultKey: `jobs/${job.id}.csv`,
      summary: {
        invitations: 3,
        'status.active': 1,
        'status.suspended': 0,
        'status.revoked': 1,
        'status.expired': 1,
        'type.read_only': 0,
        'type.read_write': 3,
        'type.admin': 0,
        expiringWithin7Days: 0,
        expiringWithin30Days: 1,
      },
    });
    const byId = new Map(rows.map((row) => [row.Id, row]));
    expect(byId.get(live.invitation.id)).toEqual({
      Name: `'${HOSTILE}`,
      Type: 'read_write',
      Token: live.invitation.tokenHint,
      'Valid Days': '29',
      'Can Invite': 'no',
      Transferable: 'no',
      'Device Bound': 'yes',
      'Max Devices': '3',
      Status: 'Success',
      Error: '',
      Id: live.invitation.id,
      'Invitation Status': 'active',
      Created: '2026-11-21T08:00:00Z',
      Expires: '2026-12-21T08:00:00Z',
      'Parent Id': '',
      'Active Devices': '1',
      'Batch Id': '',
      'Max Descendants': '10000',
      'Descendants Created': '0',
      Email: `'${HOSTILE_EMAIL}`,
    });
    expect(byId.get(revoked.invitation.id)).toMatchObject({
      'Invitation Status': 'revoked',
      'Valid Days': '29',
      Email: '',
    });
    expect(byId.get(expired.invitation.id)).toMatchObject({ 'Invitation Status': 'expired', 'Valid Days': '0' });
    for (const { token } of [live, revoked, expired]) expect(text).not.toContain(token);
  });

  test('with includeEncoded, the live invitation carries its token and encoded invitation; dead ones do not', async () => {
    const { header, rows } = await run(exportInvitations, exportJob({ includeEncoded: true }), at(36));
    expect(header).toBe(`${REQUIRED},Encoded Data,Error,${EXPORT_EXTRAS}`);
    const byId = new Map(rows.map((row) => [row.Id, row]));
    const liveRow = byId.get(live.invitation.id)!;
    expect(liveRow.Token).toBe(live.token);
    expect(decodeInvitation(liveRow['Encoded Data']!, testKeyRing())).toMatchObject({
      token: live.token,
      id: live.invitation.id,
      name: HOSTILE,
    });
    for (const dead of [revoked, expired]) {
      expect(byId.get(dead.invitation.id)).toMatchObject({ Token: dead.invitation.tokenHint, 'Encoded Data': '' });
    }
  });

  test('a status filter exports only invitations in that status, expired by the clock', async () => {
    const expiredOnly = await run(exportInvitations, exportJob({ status: 'expired' }), at(36));
    expect(expiredOnly.rows.map((row) => row.Id)).toEqual([expired.invitation.id]);
    const activeOnly = await run(exportInvitations, exportJob({ status: 'active' }), at(36));
    expect(activeOnly.rows.map((row) => row.Id)).toEqual([live.invitation.id]);
    expect(activeOnly.outcome.summary).toMatchObject({ invitations: 1, 'status.active': 1, 'status.expired': 0 });
  });

  test('the scheduled invitation audit writes audits/<day>/invitations.csv, never with secrets', async () => {
    const audit = await run(exportInvitations, scheduled('invitation-audit', '2026-11-23T00:00:00Z'), at(40));
    expect(audit.outcome.resultKey).toBe('audits/2026-11-23/invitations.csv');
    expect(audit.header).toBe(`${REQUIRED},Error,${EXPORT_EXTRAS}`);
    expect(audit.rows).toHaveLength(3);
    expect(audit.outcome.summary).toMatchObject({
      invitations: 3,
      'status.active': 1,
      'status.revoked': 1,
      'status.expired': 1,
      'type.read_write': 3,
      expiringWithin30Days: 1,
    });
    expect(audit.text).not.toContain(live.token);
    expect(audit.rows.find((row) => row.Id === live.invitation.id)?.Email).toBe(`'${HOSTILE_EMAIL}`);
  });

  test('the audit log never holds the address an invitation was created with', async () => {
    const { events } = await deps.auditLog.list({}, 1_000);
    expect(events.map((event) => event.action)).toContain('invitation.created');
    expect(JSON.stringify(events)).not.toContain(HOSTILE_EMAIL);
  });
});

describe('device export (SPEC §2.4) on in-memory ports', () => {
  test('every device of every invitation with its real times, the token masked, fixed-order details', async () => {
    const job = testJob('device-export');
    const { outcome, text, header, rows } = await run(exportDevices, job, at(36));
    expect(header).toBe(DEVICE_RESULT_COLUMNS.join(','));
    expect(outcome).toEqual({
      progress: { processed: 2, succeeded: 2, failed: 0 },
      resultKey: `jobs/${job.id}.csv`,
      summary: { devices: 2 },
    });
    const common = {
      Token: live.invitation.tokenHint,
      'Invitation Name': `'${HOSTILE}`,
      Operation: 'info',
      Status: 'Success',
      Error: '',
    };
    const invitation = `invitation_id: ${live.invitation.id}; invitation_status: active`;
    expect(rows).toEqual([
      {
        ...common,
        'Device ID': laptop,
        'Registered At': '2026-11-21T09:00:00Z',
        'Last Seen': '2026-11-21T09:00:00Z',
        Details: `${invitation}; status: active; hostname: '+evil; username: ana; label: '@desk`,
      },
      {
        ...common,
        'Device ID': phone,
        'Registered At': '2026-11-21T10:00:00Z',
        'Last Seen': '2026-11-21T10:00:00Z',
        Details:
          `${invitation}; status: revoked; hostname: phone-7; username: ana; revoked_at: 2026-11-21T11:00:00Z; ` +
          `revoked_by: ${ADMIN}; revoke_reason: lost\\; in a taxi`,
      },
    ]);
    expect(text).not.toContain(live.token);
  });

  test('the scheduled device audit writes audits/<day>/devices.csv', async () => {
    const audit = await run(exportDevices, scheduled('device-audit', '2026-11-22T01:00:00Z'), at(40));
    expect(audit.outcome.resultKey).toBe('audits/2026-11-22/devices.csv');
    expect(audit.rows.map((row) => row['Device ID'])).toEqual([laptop, phone]);
  });
});
