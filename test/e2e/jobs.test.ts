import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { DEVICE_RESULT_COLUMNS } from '../../lambdas/domain/csv/devices';
import { RESULT_COLUMNS_WITH_ENCODED } from '../../lambdas/domain/csv/results';
import { LOCAL_NAMES } from '../../system/resources';
import type { AuditPage, IssuedInvitation, JobAnswer, JobPage } from '../../lambdas/contract/views';
import { projectRoot } from '../../local/stack/paths';
import { LOCAL_ADMIN_ARN } from '../../local/gateway/principals';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { stackCli } from '../support/stack-cli';

/**
 * The administrator's day-to-day and worst-day tools, end to end: the seeds' backup script, the emergency
 * revocation, device operations, and the scheduled jobs: two of them are made due every minute so a run is seen.
 */
jest.setTimeout(180_000);

let stack: StackProcess;
let s3: S3Client;
let scratch: string;
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startStackProcess({ PRISM_SCHEDULE_EVERY_MINUTE: 'device-audit,audit-archive' });
  s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  scratch = mkdtempSync(join(tmpdir(), 'prism-e2e-jobs-'));
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const cli = () => stackCli(stack);
const rowsOf = (csv: string) => parse(csv, { columns: true, bom: true }) as Record<string, string>[];
const headerOf = (csv: string) => (parse(csv, { to_line: 1, bom: true }) as string[][])[0]!;
const objectText = async (key: string, bucket: string = LOCAL_NAMES.bucket) =>
  (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8');

async function invitationWithDevices(name: string, devices: string[]): Promise<IssuedInvitation> {
  const issued = await cli().createSecure(name, '--max-devices=3');
  for (const device of devices) expect((await cli().accept(issued.encoded, 'alice', device)).code).toBe(0);
  return issued;
}

describe("the seeds' daily backup script", () => {
  test('runs with only the command name changed and archives both CSVs', async () => {
    const issued = await invitationWithDevices('backup-target', ['device-backup-1']);
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    symlinkSync(join(projectRoot(), 'bin/prism-registry.js'), join(bin, 'prism-registry'));
    const backupDir = join(scratch, 'backup');
    const script = join(scratch, 'daily-backup.sh');
    writeFileSync(
      script,
      `#!/bin/bash
set -e
BACKUP_DIR="${backupDir}"
DATE=$(date +%Y-%m-%d)
mkdir -p "$BACKUP_DIR/$DATE"

# Export invitations with all data
prism-registry profiles invitations batch-export \\
  --output-file "$BACKUP_DIR/$DATE/invitations.csv" \\
  --include-encoded

# Export device information
prism-registry profiles invitations devices export-info \\
  --output-file "$BACKUP_DIR/$DATE/devices.csv"

# Compress for archival
tar -czf "$BACKUP_DIR/$DATE.tar.gz" -C "$BACKUP_DIR" "$DATE"
rm -rf "$BACKUP_DIR/$DATE"
`,
    );
    const env = { ...stack.env, PATH: `${bin}:${process.env.PATH}` };
    await promisify(execFile)('bash', [script], { env });

    const date = (await promisify(execFile)('date', ['+%Y-%m-%d'])).stdout.trim();
    const extracted = join(scratch, 'extracted');
    mkdirSync(extracted);
    await promisify(execFile)('tar', ['-xzf', join(backupDir, `${date}.tar.gz`), '-C', extracted]);
    const invitations = readFileSync(join(extracted, date, 'invitations.csv'), 'utf8');
    expect(headerOf(invitations).slice(0, RESULT_COLUMNS_WITH_ENCODED.length)).toEqual([
      ...RESULT_COLUMNS_WITH_ENCODED,
    ]);
    const mine = rowsOf(invitations).find((row) => row.Name === 'backup-target')!;
    expect(mine).toMatchObject({ Token: issued.token, Status: 'Success', 'Max Devices': '3' });
    expect(JSON.parse(Buffer.from(mine['Encoded Data']!, 'base64url').toString('utf8')).id).toBe(issued.invitation.id);

    const devices = readFileSync(join(extracted, date, 'devices.csv'), 'utf8');
    expect(headerOf(devices)).toEqual([...DEVICE_RESULT_COLUMNS]);
    const device = rowsOf(devices).find((row) => row['Device ID'] === 'device-backup-1')!;
    expect(device).toMatchObject({ Token: issued.invitation.tokenHint, 'Invitation Name': 'backup-target' });
    expect(device['Registered At']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(device['Last Seen']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(devices).not.toContain(issued.token);
  });
});

describe('device operations from a CSV', () => {
  test('revoke, validate and info rows each get a result; an unknown operation revokes nothing', async () => {
    const issued = await invitationWithDevices('ops-target', ['device-ops-1', 'device-ops-2']);
    const input = join(scratch, 'operations.csv');
    writeFileSync(
      input,
      'Device ID,Token,Name,Operation\n' +
        `device-ops-1,${issued.token},Laptop,revoke\n` +
        `device-ops-2,${issued.invitation.id},Desk,validate\n` +
        `device-ops-2,${issued.token},Desk,explode\n` +
        `device-ops-1,${issued.token},Laptop,info\n`,
    );
    const output = join(scratch, 'operations-results.csv');
    const result = await cli().run(
      'invitations',
      'devices',
      'batch-operation',
      '--csv-file',
      input,
      '--output-file',
      output,
    );
    expect(result.code).toBe(1);
    const rows = rowsOf(readFileSync(output, 'utf8'));
    expect(rows.map((row) => [row['Device ID'], row.Operation, row.Status])).toEqual([
      ['device-ops-1', 'revoke', 'Success'],
      ['device-ops-2', 'validate', 'Success'],
      ['device-ops-2', 'explode', 'Failed'],
      ['device-ops-1', 'info', 'Success'],
    ]);
    expect(rows[2]!.Error).toMatch(/line 4.*explode/);
    expect(readFileSync(output, 'utf8')).not.toContain(issued.token);
    expect((await cli().run('devices', 'validate', '--token', issued.token, '--device', 'device-ops-1')).code).toBe(1);
    expect((await cli().run('devices', 'validate', '--token', issued.token, '--device', 'device-ops-2')).code).toBe(0);
  });
});

describe('emergency revoke-all', () => {
  test('needs --confirm; then no device validates, no invitation takes a new one, and the log names who did it', async () => {
    const fleet = [
      await invitationWithDevices('fleet-a', ['device-fleet-a1', 'device-fleet-a2']),
      await invitationWithDevices('fleet-b', ['device-fleet-b1']),
    ];
    const refused = await cli().run('profiles', 'invitations', 'devices', 'batch-revoke-all');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--confirm');
    expect(
      (await cli().run('devices', 'validate', '--token', fleet[0]!.token, '--device', 'device-fleet-a1')).code,
    ).toBe(0);

    const output = join(scratch, 'emergency.csv');
    const revoked = await cli().run(
      'profiles',
      'invitations',
      'devices',
      'batch-revoke-all',
      '--confirm',
      '--output-file',
      output,
    );
    expect(revoked.code).toBe(0);
    const rows = rowsOf(readFileSync(output, 'utf8'));
    expect(rows.map((row) => row['Device ID'])).toEqual(
      expect.arrayContaining(['device-fleet-a1', 'device-fleet-a2', 'device-fleet-b1']),
    );
    for (const [issued, device] of [
      [fleet[0]!, 'device-fleet-a1'],
      [fleet[0]!, 'device-fleet-a2'],
      [fleet[1]!, 'device-fleet-b1'],
    ] as const) {
      expect((await cli().run('devices', 'validate', '--token', issued.token, '--device', device)).code).toBe(1);
    }
    expect((await cli().accept(fleet[1]!.encoded, 'alice', 'device-fleet-new')).stderr).toContain('suspended');

    const log = await cli().json<AuditPage>('audit', '--action', 'emergency.revoke_all');
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ actor: LOCAL_ADMIN_ARN, action: 'emergency.revoke_all' });
    const suspended = await cli().json<AuditPage>('audit', '--target', fleet[0]!.invitation.id);
    expect(suspended.events[0]).toMatchObject({
      action: 'invitation.suspended',
      actor: LOCAL_ADMIN_ARN,
      details: { jobId: log.events[0]!.targetId },
    });

    const again = await cli().json<JobAnswer>('invitations', 'devices', 'batch-revoke-all', '--confirm');
    expect(again.job).toMatchObject({ state: 'completed', summary: { devicesRevoked: 0, invitationsSuspended: 0 } });
  });
});

describe('scheduled jobs', () => {
  test('jobs run invitation-audit writes audits/<today>/invitations.csv, without secrets, and counts it', async () => {
    const issued = await cli().createSecure('audited-today');
    const answer = await cli().json<JobAnswer>('jobs', 'run', 'invitation-audit', '--wait');
    expect(answer.job).toMatchObject({ state: 'completed', resultKey: `audits/${today()}/invitations.csv` });
    const csv = await objectText(`audits/${today()}/invitations.csv`);
    const rows = rowsOf(csv);
    expect(rows.find((row) => row.Name === 'audited-today')).toMatchObject({
      Token: issued.invitation.tokenHint,
    });
    expect(csv).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);

    // The summary counts what the file holds, judged at the same time: Valid Days are the whole days left, rounded
    // up, so a live invitation expires within N days exactly when its Valid Days are at most N.
    const tally = (column: string, value: string) => rows.filter((row) => row[column] === value).length;
    const expiringWithin = (days: number) =>
      rows.filter((row) => row['Invitation Status'] === 'active' && Number(row['Valid Days']) <= days).length;
    expect(answer.job.summary).toEqual({
      invitations: rows.length,
      'status.active': tally('Invitation Status', 'active'),
      'status.suspended': tally('Invitation Status', 'suspended'),
      'status.revoked': tally('Invitation Status', 'revoked'),
      'status.expired': tally('Invitation Status', 'expired'),
      'type.read_only': tally('Type', 'read_only'),
      'type.read_write': tally('Type', 'read_write'),
      'type.admin': tally('Type', 'admin'),
      expiringWithin7Days: expiringWithin(7),
      expiringWithin30Days: expiringWithin(30),
    });
    // The invitation made above lasts 30 days.
    expect(answer.job.summary!.expiringWithin30Days).toBeGreaterThanOrEqual(1);
  });

  test('jobs run expiry-reminders completes once a run; stale-devices is refused while its days are unset', async () => {
    const reminders = await cli().json<JobAnswer>('jobs', 'run', 'expiry-reminders', '--wait');
    expect(reminders.job).toMatchObject({ state: 'completed', summary: expect.objectContaining({ reminderDays: 7 }) });
    const stale = await cli().run('jobs', 'run', 'stale-devices');
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toContain('stale-devices is off');
    const { jobs } = await cli().json<JobPage>('jobs', 'list', '--all');
    expect(jobs.filter((job) => job.kind === 'stale-devices')).toEqual([]);
  });

  test('the embedded scheduler runs them on their cron, as the system', async () => {
    const ranBySchedule = async () => {
      const { jobs } = await cli().json<JobPage>('jobs', 'list', '--all');
      return jobs.filter((job) => job.createdBy.startsWith('system:') && job.state === 'completed');
    };
    const deadline = Date.now() + 130_000;
    let ran = await ranBySchedule();
    while (new Set(ran.map((job) => job.kind)).size < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      ran = await ranBySchedule();
    }
    const audit = ran.find((job) => job.kind === 'device-audit')!;
    expect(audit).toMatchObject({ createdBy: 'system:device-audit', resultKey: `audits/${today()}/devices.csv` });
    const archive = ran.find((job) => job.kind === 'audit-archive')!;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
    expect(archive).toMatchObject({ createdBy: 'system:audit-archive', resultKey: `audit-log/${yesterday}.ndjson` });
    expect(headerOf(await objectText(audit.resultKey!))).toEqual([...DEVICE_RESULT_COLUMNS]);
    // The archive lies in its own bucket, and nowhere in the registry bucket.
    await expect(objectText(archive.resultKey!, LOCAL_NAMES.auditArchiveBucket)).resolves.toEqual(expect.any(String));
    await expect(objectText(archive.resultKey!)).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
