import { parse } from 'csv-parse/sync';
import { DEVICE_RESULT_COLUMNS } from '../../../../../lambdas/domain/csv/devices';
import { FileRejection } from '../../../../../lambdas/domain/csv/reader';
import type { Job, JobOptions } from '../../../../../lambdas/domain/job';
import { deriveToken, maskToken } from '../../../../../lambdas/domain/tokens';
import { registerDevice, revokeDevice } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { runDeviceOperations } from '../../../../../lambdas/usecases/jobs/device-operations';
import { inputKeyOf } from '../../../../../lambdas/usecases/jobs/job-run';
import type { IssuedInvitation } from '../../../../../lambdas/contract/views';
import { ADMIN, AS_ADMIN, AS_RECIPIENT, isolatedDeps } from '../../../../support/deps';
import { testKeyRing } from '../../../../support/invitations';
import { testJob, testRun } from '../../../../support/job-runs';

jest.setTimeout(60_000);

const T0 = new Date('2026-11-21T08:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const HEADER = 'Device ID,Token,Name,Operation';

let deps: Awaited<ReturnType<typeof isolatedDeps>>;
let labA: IssuedInvitation;
let labB: IssuedInvitation;
/** A well-formed token of no invitation. */
const stranger = deriveToken(testKeyRing(), 'k1', '01JNOSUCHINVITATION0000000', 1);

async function issue(name: string): Promise<IssuedInvitation> {
  const { issued } = await issueInvitation(deps, { name, type: 'read_only', maxDevices: 5 }, { origin: AS_ADMIN });
  return issued;
}

async function register(invitation: IssuedInvitation, deviceId: string): Promise<void> {
  const known = (await deps.store.lineage(invitation.invitation.id, deviceId))!;
  await registerDevice(deps, known, { deviceId, hostname: `${deviceId}.lab`, username: 'ana' }, AS_RECIPIENT);
}

const operationsJob = (options: JobOptions = {}): Job => {
  const job = testJob('device-operations', { options });
  return { ...job, inputKey: inputKeyOf(job.id) };
};

/** Uploads `csv` as the job's input (unless it is there already), runs the job at `now`, reads its results. */
async function run(job: Job, csv: string | Uint8Array | undefined, now: Date) {
  if (csv !== undefined) await deps.objects.write(job.inputKey!, csv, 'text/csv');
  deps.clock.now = now;
  const outcome = await runDeviceOperations(deps, testRun(job));
  const text = (await deps.objects.readText(outcome.resultKey!))!;
  const rows: Record<string, string>[] = parse(text, { columns: true });
  return { outcome, text, rows };
}

beforeAll(async () => {
  deps = await isolatedDeps({ now: T0 });
  labA = await issue('Lab A');
  labB = await issue('Lab B');
  deps.clock.now = at(1);
  for (const device of ['dev-1', 'dev-2', 'dev-3', 'dev-5']) await register(labA, device);
  for (const device of ['dev-4', 'dev-6']) await register(labB, device);
  deps.clock.now = at(2);
  await revokeDevice(deps, labA.invitation.id, 'dev-5', 'stolen', AS_ADMIN);
});

describe('device operations job (SPEC §2.3, §2.4) against DynamoDB Local and the bucket', () => {
  const idA = () => labA.invitation.id;
  const file = () =>
    [
      HEADER,
      `dev-1,${labA.token},Lab A,revoke`,
      `dev-2,${idA()},,validate`,
      '',
      `dev-3,${labA.token},,nuke`,
      `dev-3,${labA.token},,`,
      `dev-4,${labB.token},,info`,
      `dev-nope,${labA.token},,info`,
      `dev-4,${stranger},Someone,info`,
      `dev-5,${idA()},,validate`,
      `dev-5,${labA.token},,revoke`,
      `,${labA.token},,info`,
    ].join('\r\n');

  test('each row carried out or failed with its reason, in input order; the rerun writes the same file', async () => {
    const job = operationsJob();
    const first = await run(job, file(), at(5));

    expect(first.text.slice(0, first.text.indexOf('\r\n'))).toBe(DEVICE_RESULT_COLUMNS.join(','));
    const hintA = labA.invitation.tokenHint;
    expect(
      first.rows.map((row) => [row['Device ID'], row.Token, row['Invitation Name'], row.Operation, row.Status]),
    ).toEqual([
      ['dev-1', hintA, 'Lab A', 'revoke', 'Success'],
      ['dev-2', idA(), 'Lab A', 'validate', 'Success'],
      ['dev-3', hintA, '', 'nuke', 'Failed'],
      ['dev-3', hintA, '', '', 'Failed'],
      ['dev-4', labB.invitation.tokenHint, 'Lab B', 'info', 'Success'],
      ['dev-nope', hintA, 'Lab A', 'info', 'Failed'],
      ['dev-4', maskToken(stranger), 'Someone', 'info', 'Failed'],
      ['dev-5', idA(), 'Lab A', 'validate', 'Failed'],
      ['dev-5', hintA, 'Lab A', 'revoke', 'Success'],
      ['', hintA, '', 'info', 'Failed'],
    ]);
    expect(first.rows.map((row) => row.Error)).toEqual([
      '',
      '',
      'line 5, column "Operation": must be revoke, validate or info (got "nuke")',
      'line 6, column "Operation": is empty and no operation was given for the whole file; it must be revoke, validate or info',
      '',
      'line 8, column "Device ID": Device not found',
      'line 9, column "Token": unknown invitation token or id',
      'line 10: the device is not valid (device_revoked)',
      '',
      'line 12, column "Device ID": is required',
    ]);
    const invitationA = `invitation_id: ${idA()}; invitation_status: active`;
    expect(first.rows[0]).toMatchObject({
      'Registered At': '2026-11-21T09:00:00Z',
      'Last Seen': '2026-11-21T09:00:00Z',
      Details:
        `${invitationA}; status: revoked; hostname: dev-1.lab; username: ana; revoked_at: 2026-11-21T13:00:00Z; ` +
        `revoked_by: ${ADMIN}; revoke_reason: device operations job ${job.id}`,
    });
    expect(first.rows[1]!.Details).toBe(
      `${invitationA}; status: active; hostname: dev-2.lab; username: ana; valid: yes`,
    );
    expect(first.rows[7]!.Details).toMatch(/revoke_reason: stolen; valid: no; reason: device_revoked$/);
    expect(first.rows[8]!.Details).toMatch(/revoked_at: 2026-11-21T10:00:00Z; .*revoke_reason: stolen$/);
    expect(first.outcome).toEqual({
      progress: { processed: 10, succeeded: 4, failed: 6 },
      resultKey: `jobs/${job.id}.csv`,
      summary: { rows: 10, succeeded: 4, failed: 6, revoked: 1 },
    });
    for (const secret of [labA.token, labB.token, stranger]) expect(first.text).not.toContain(secret);

    // An unknown or missing operation revokes nothing; validate does not move lastSeenAt.
    expect(await deps.store.getDevice(idA(), 'dev-3')).toMatchObject({ status: 'active' });
    expect(await deps.store.getDevice(idA(), 'dev-2')).toMatchObject({ lastSeenAt: '2026-11-21T09:00:00Z' });

    const second = await run(job, undefined, at(6));
    expect(second.text).toBe(first.text);
    expect(second.outcome.summary).toEqual({ rows: 10, succeeded: 4, failed: 6, revoked: 0 });
  });

  test("the revocation is audited once, under the job's origin, without a token", async () => {
    const events = (await deps.auditLog.ofTarget('dev-1')).filter((event) => event.action === 'device.revoked');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      actor: ADMIN,
      targetId: 'dev-1',
      requestId: expect.stringMatching(/^req-/),
      details: { invitationId: labA.invitation.id, jobId: expect.any(String) },
    });
    expect(event!.requestId).toBe(`req-${event!.details.jobId}`);
    expect(JSON.stringify(event)).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);
  });

  test('many rows with several in flight come back in input order; the file operation fills the rows', async () => {
    const cycle = [`dev-2,${labA.invitation.id}`, `dev-4,${labB.token}`, `dev-nope,${labA.invitation.id}`];
    const lines = Array.from({ length: 45 }, (_, n) => cycle[n % 3]!);
    const job = operationsJob({ hasHeader: false, operation: 'info', concurrency: 7 });
    const { rows, outcome } = await run(job, lines.join('\n'), at(7));
    expect(rows.map((row) => row['Device ID'])).toEqual(lines.map((line) => line.split(',')[0]));
    expect(rows.every((row) => row.Operation === 'info')).toBe(true);
    expect(rows[2]!.Error).toBe('line 3, column "Device ID": Device not found');
    expect(rows[44]!.Error).toBe('line 45, column "Device ID": Device not found');
    expect(outcome.progress).toEqual({ processed: 45, succeeded: 30, failed: 15 });
  });

  test('a file refused whole changes nothing, even where rows before the fault were good', async () => {
    // Long enough to arrive in several chunks: the fault comes well after the first row could have run.
    const filler = `dev-nope,${labB.invitation.id},,info\n`.repeat(5_000);
    const good = Buffer.from(`${HEADER}\ndev-6,${labB.token},,revoke\n${filler}`);
    const broken = Buffer.concat([good, Buffer.from([0x64, 0xff, 0x2c, 0x0a])]);
    await expect(run(operationsJob(), broken, at(8))).rejects.toMatchObject({ reason: 'not_utf8' });
    await expect(run(operationsJob(), `Device ID,Name,Operation\ndev-6,x,revoke\n`, at(8))).rejects.toThrow(
      FileRejection,
    );
    expect(await deps.store.getDevice(labB.invitation.id, 'dev-6')).toMatchObject({ status: 'active' });
  });
});
