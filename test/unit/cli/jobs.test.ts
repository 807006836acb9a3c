import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../../../cli/poll';
import type { AuditEvent } from '../../../lambdas/domain/audit';
import type { JobView, RevokedInvitation } from '../../../lambdas/contract/views';
import { verifySigV4 } from '../../../local/gateway/sigv4';
import { invitationViewFixture, jobViewFixture } from '../../support/views';
import { fakeClock as fakeClockFrom, runCliAt } from '../../support/cli-in-process';
import { CLI_CREDENTIALS, type Recorded, type Routes, cliHome, fakeApi } from '../../support/fake-api';
import { scratchFolder } from '../../support/scratch';

/**
 * The job commands (`invitations batch-export`, `invitations devices export-info | batch-operation |
 * batch-revoke-all`, `invitations revoke --cascade`, `jobs …`) and `audit`, run in-process against a local HTTP server that plays the registry
 * API and the presigned download URLs, recording every request.
 */

const home = cliHome('prism-cli-jobs-');
const api = fakeApi();

const JOB_ID = '01JDJOB0000000000000000AAA';
const NOW = Date.parse('2026-11-21T12:00:00Z');
/** A BOM, CRLF, quoting, non-ASCII and a neutralised formula: written byte for byte, never re-encoded. */
const INVITATIONS_CSV = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(
    'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error\r\n' +
      "José,admin,inv-AAA,29,yes,no,yes,3,Success,eyJ0,\r\n'=SUM(A1),read_only,inv-BBB,3,no,no,yes,1,Success,eyJ1,\r\n",
  ),
]);
const DEVICES_CSV = Buffer.from(
  'Device ID,Token,Invitation Name,Operation,Status,Registered At,Last Seen,Details,Error\n' +
    'device-abc,inv-7Zq3…MnO,"lab, west",info,Success,2026-11-01T00:00:00Z,2026-11-20T00:00:00Z,hostname: h1; username: ana,\n',
);
const OPERATIONS_INPUT = 'Device ID,Token,Name,Operation\ndevice-abc,inv-7Zq3,lab,revoke\ndevice-xyz,inv-7Zq3,lab,\n';

const job = (overrides: Partial<JobView> = {}): JobView => jobViewFixture({ id: JOB_ID, ...overrides });
const running = (kind: JobView['kind'], processed = 50) =>
  job({ kind, state: 'running', progress: { processed, succeeded: processed, failed: 0 } });
const completed = (kind: JobView['kind'], overrides: Partial<JobView> = {}) =>
  job({
    kind,
    state: 'completed',
    progress: { processed: 2, succeeded: 2, failed: 0 },
    completedAt: '2026-11-21T12:01:00Z',
    resultReady: true,
    resultKey: `jobs/${JOB_ID}/result.csv`,
    ...overrides,
  });

let folder: string;

/**
 * `GET /jobs/{id}` answers each of `states` in turn (the last one repeats), with a presigned download link once
 * the result is ready; the link serves `file`.
 */
function pollRoutes(states: JobView[], file: Buffer = INVITATIONS_CSV): Routes {
  let polls = 0;
  return {
    [`GET /jobs/${JOB_ID}`]: () => {
      const state = states[Math.min(polls++, states.length - 1)]!;
      const download = { url: `${api.endpoint}/download/${JOB_ID}.csv?X-Amz-Signature=cafe`, expiresAt: '' };
      return { body: { job: state, ...(state.resultReady && { download }) } };
    },
    [`GET /download/${JOB_ID}.csv`]: () => ({ body: file, type: 'text/csv' }),
  };
}

/** `start` answers 202 with the job queued, then as `pollRoutes`. */
const jobRoutes = (start: string, states: JobView[], file?: Buffer): Routes => ({
  [start]: () => ({ status: 202, body: { job: job({ kind: states[0]!.kind }) } }),
  ...pollRoutes(states, file),
});

beforeEach(() => {
  folder = scratchFolder('prism-cli-jobs-files-');
});

const fakeClock = () => fakeClockFrom(NOW);
const cli = (args: string[], options: { tty?: boolean; clock?: Clock } = {}) =>
  runCliAt(api.endpoint, home, args, { clock: fakeClock().clock, ...options });

/** Runs the CLI with `folder` as the working directory, where relative paths and default files land. */
async function cliIn(cwd: string, args: string[]) {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return await cli(args);
  } finally {
    process.chdir(previous);
  }
}

const calls = () => api.recorded.map((request) => `${request.method} ${request.url.split('?')[0]}`);
const bodyOf = (request: Recorded | undefined) => JSON.parse(request?.raw.toString() ?? 'null');
const find = (key: string) => api.recorded.find((request) => `${request.method} ${request.url.split('?')[0]}` === key);
const queryOf = (request: Recorded | undefined) =>
  Object.fromEntries(new URL(request?.url ?? '/', api.endpoint).searchParams);

describe('invitations batch-export', () => {
  beforeEach(() => {
    api.routes = jobRoutes('POST /exports/invitations', [running('invitation-export'), completed('invitation-export')]);
  });

  it('exports to invitations.csv in the working directory by default, byte for byte, owner-only', async () => {
    const { code, stdout, stderr } = await cliIn(folder, ['invitations', 'batch-export']);
    expect(stderr).not.toContain('prism-registry:');
    expect(code).toBe(0);
    expect(calls()).toEqual([
      'POST /exports/invitations',
      `GET /jobs/${JOB_ID}`,
      `GET /jobs/${JOB_ID}`,
      `GET /download/${JOB_ID}.csv`,
    ]);
    const [start] = api.recorded;
    expect(start?.headers['content-type']).toBe('application/json');
    expect(start?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\//);
    expect(bodyOf(start)).toEqual({});
    const downloaded = find(`GET /download/${JOB_ID}.csv`);
    expect(downloaded?.headers.authorization).toBeUndefined();
    expect(downloaded?.url).toContain('X-Amz-Signature=cafe');
    expect(readdirSync(folder)).toEqual(['invitations.csv']);
    expect(readFileSync(join(folder, 'invitations.csv')).equals(INVITATIONS_CSV)).toBe(true);
    expect(statSync(join(folder, 'invitations.csv')).mode & 0o777).toBe(0o600);
    expect(stderr).toBe(`Job ${JOB_ID} (invitation export) started; waiting for it.\n`);
    expect(stdout).toBe(
      `Job ${JOB_ID} (invitation export) completed: 2 processed, 2 succeeded, 0 failed.\n` +
        'Results written to invitations.csv.\n',
    );
  });

  it('asks for secrets with a bare --include-encoded, and passes --status', async () => {
    const output = join(folder, 'department_admins.csv');
    const { code } = await cli(['invitations', 'batch-export', '--output-file', output, '--include-encoded']);
    expect(code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({ includeEncoded: true });
    await cli(['invitations', 'batch-export', '--output-file', output, '--no-include-encoded', '--status', 'active']);
    expect(api.recorded.filter((request) => request.method === 'POST').map(bodyOf)).toEqual([
      { includeEncoded: true },
      { includeEncoded: false, status: 'active' },
    ]);
  });

  it('refuses an unknown --status and an --output-file in a missing folder before any request', async () => {
    const status = await cli(['invitations', 'batch-export', '--status', 'gone']);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/--status.*'gone'.*active, suspended, revoked, expired.*\(usage\)/);
    const nowhere = await cli(['invitations', 'batch-export', '--output-file', join(folder, 'nowhere', 'x.csv')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/--output-file: cannot write to the folder .*nowhere: no such folder \(usage\)/);
    expect(api.recorded).toHaveLength(0);
  });

  it('exits 1 with the job’s reason on stderr when the export failed, and writes no file', async () => {
    const error = { code: 'export_failed', message: 'the registry table could not be read' };
    api.routes = jobRoutes('POST /exports/invitations', [job({ state: 'failed', error })]);
    const output = join(folder, 'out.csv');
    const { code, stdout, stderr } = await cli(['invitations', 'batch-export', '--output-file', output]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `prism-registry: job ${JOB_ID} (invitation export) failed: the registry table could not be read (export_failed)\n`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(calls()).not.toContain(`GET /download/${JOB_ID}.csv`);
  });

  it('prints the failed job as JSON with --json, still exiting 1', async () => {
    const failed = job({ state: 'failed', error: { code: 'export_failed', message: 'no' } });
    api.routes = jobRoutes('POST /exports/invitations', [failed]);
    const { code, stdout } = await cli(['--json', 'invitations', 'batch-export', '--output-file', join(folder, 'o')]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ job: failed });
  });

  it('gives up after --timeout, saying how to follow the job', async () => {
    api.routes = jobRoutes('POST /exports/invitations', [running('invitation-export', 7)]);
    const { clock, sleeps } = fakeClock();
    const { code, stderr } = await cli(
      ['invitations', 'batch-export', '--output-file', join(folder, 'o.csv'), '--timeout', '5'],
      { clock },
    );
    expect(code).toBe(1);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(5000);
    expect(stderr).toContain(`gave up waiting for job ${JOB_ID} after 5 s; it is still running (7 processed)`);
    expect(stderr).toContain(`prism-registry jobs status ${JOB_ID}`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('draws its progress in place on a terminal only', async () => {
    const states = [job(), running('invitation-export'), completed('invitation-export')];
    api.routes = jobRoutes('POST /exports/invitations', states);
    const output = join(folder, 'o.csv');
    const onTty = await cli(['invitations', 'batch-export', '--output-file', output], { tty: true });
    expect(onTty.stderr).toContain('\r\x1b[Kinvitation export queued');
    expect(onTty.stderr).toContain('\r\x1b[Kinvitation export running: 50 processed, 0 failed');
    expect(onTty.stderr.endsWith('\r\x1b[K')).toBe(true);
    api.routes = jobRoutes('POST /exports/invitations', [running('invitation-export'), completed('invitation-export')]);
    const piped = await cli(['invitations', 'batch-export', '--output-file', output]);
    expect(piped.stderr).not.toMatch(/[\r\x1b]/);
  });
});

describe('invitations devices export-info', () => {
  beforeEach(() => {
    api.routes = jobRoutes('POST /exports/devices', [completed('device-export')], DEVICES_CSV);
  });

  it('exports to device_info.csv in the working directory by default; --concurrency is accepted, not sent', async () => {
    const { code, stdout } = await cliIn(folder, ['invitations', 'devices', 'export-info', '--concurrency', '8']);
    expect(code).toBe(0);
    expect(calls()[0]).toBe('POST /exports/devices');
    expect(bodyOf(api.recorded[0])).toEqual({});
    expect(readdirSync(folder)).toEqual(['device_info.csv']);
    expect(readFileSync(join(folder, 'device_info.csv')).equals(DEVICES_CSV)).toBe(true);
    expect(stdout).toContain('Results written to device_info.csv.');
  });

  it('refuses a --concurrency out of range, naming the flag', async () => {
    const { code, stderr } = await cli(['invitations', 'devices', 'export-info', '--concurrency', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--concurrency.*Expected a whole number from 1 to 50/);
    expect(api.recorded).toHaveLength(0);
  });

  it('leaves `invitations devices <id>` listing the devices of one invitation, with or without `profiles`', async () => {
    const ID = '01JD8Z3X4Y5W6V7T8S9R0Q1P2N';
    api.routes = {
      ...api.routes,
      [`GET /invitations/${ID}/devices`]: () => ({ body: { invitationId: ID, devices: [] } }),
    };
    for (const prefix of [[], ['profiles']]) {
      api.recorded = [];
      const listed = await cli([...prefix, 'invitations', 'devices', ID]);
      expect(listed.stdout).toBe(`No devices registered with invitation ${ID}.\n`);
      expect(calls()).toEqual([`GET /invitations/${ID}/devices`]);
      api.recorded = [];
      const exported = await cli([
        ...prefix,
        'invitations',
        'devices',
        'export-info',
        '--output-file',
        join(folder, 'd'),
      ]);
      expect(exported.code).toBe(0);
      expect(calls()[0]).toBe('POST /exports/devices');
    }
  });
});

describe('the administrator guide’s export invocations', () => {
  // Monitoring and Compliance, Scheduled Operations (crontab) and Backup Strategy, as the guide writes them with
  // `prism` → `prism-registry`, the shell's $(date …) and $BACKUP_DIR expanded, and the paths put under a temp folder.
  const invocations: [line: string, file: string, start: string, csv: Buffer][] = [
    [
      'invitations batch-export --output-file 2026-11-21_invitation_audit.csv',
      '2026-11-21_invitation_audit.csv',
      'POST /exports/invitations',
      INVITATIONS_CSV,
    ],
    [
      'invitations devices export-info --output-file 2026-11-21_device_audit.csv',
      '2026-11-21_device_audit.csv',
      'POST /exports/devices',
      DEVICES_CSV,
    ],
    [
      'invitations batch-export --output-file /var/log/prism/invitations_20261121.csv',
      'var/log/prism/invitations_20261121.csv',
      'POST /exports/invitations',
      INVITATIONS_CSV,
    ],
    [
      'invitations devices export-info --output-file /var/log/prism/devices_20261121.csv',
      'var/log/prism/devices_20261121.csv',
      'POST /exports/devices',
      DEVICES_CSV,
    ],
    [
      'invitations batch-export --output-file /backup/prism/invitations/2026-11-21/invitations.csv --include-encoded',
      'backup/prism/invitations/2026-11-21/invitations.csv',
      'POST /exports/invitations',
      INVITATIONS_CSV,
    ],
    [
      'invitations devices export-info --output-file /backup/prism/invitations/2026-11-21/devices.csv',
      'backup/prism/invitations/2026-11-21/devices.csv',
      'POST /exports/devices',
      DEVICES_CSV,
    ],
  ];

  it.each(invocations)('prism-registry profiles %s', async (line, file, start, csv) => {
    const kind = start === 'POST /exports/devices' ? 'device-export' : 'invitation-export';
    api.routes = jobRoutes(start, [completed(kind)], csv);
    const args = line.split(' ').map((arg) => (arg.startsWith('/') ? join(folder, arg) : arg));
    const output = join(folder, file);
    mkdirSync(dirname(output), { recursive: true });
    const { code, stderr } = await cliIn(folder, ['profiles', ...args]);
    expect(stderr).not.toContain('prism-registry:');
    expect(code).toBe(0);
    expect(calls()[0]).toBe(start);
    expect(bodyOf(api.recorded[0])).toEqual(line.endsWith('--include-encoded') ? { includeEncoded: true } : {});
    expect(readFileSync(output).equals(csv)).toBe(true);
  });
});

describe('invitations devices batch-operation', () => {
  let csvFile: string;

  beforeEach(() => {
    csvFile = join(folder, 'operations.csv');
    writeFileSync(csvFile, OPERATIONS_INPUT);
    api.routes = jobRoutes(
      'POST /devices/operations',
      [completed('device-operations', { progress: { processed: 2, succeeded: 1, failed: 1 } })],
      DEVICES_CSV,
    );
  });

  it('posts the CSV as signed text/csv with the options in the query; results to stdout, exit 1 as a row failed', async () => {
    const { code, stdout, stdoutBytes, stderr } = await cli([
      'invitations',
      'devices',
      'batch-operation',
      '--csv-file',
      csvFile,
      '--operation',
      'revoke',
      '--has-header=no',
      '--concurrency',
      '3',
    ]);
    expect(code).toBe(1);
    const [start] = api.recorded;
    expect(calls()[0]).toBe('POST /devices/operations');
    expect(start?.headers['content-type']).toBe('text/csv');
    expect(start?.raw.equals(readFileSync(csvFile))).toBe(true);
    expect(queryOf(start)).toEqual({ operation: 'revoke', hasHeader: 'false', concurrency: '3' });
    const [path, query = ''] = start!.url.split('?');
    const verdict = await verifySigV4(
      { method: 'POST', path: path!, query, headers: start!.headers, body: start!.raw },
      { credentials: CLI_CREDENTIALS, service: 'execute-api' },
    );
    expect(verdict).toEqual({ ok: true, accessKeyId: 'AKIDLOCAL' });
    expect(stdout).toBe('');
    expect(stdoutBytes.equals(DEVICES_CSV)).toBe(true);
    expect(stderr).toContain(
      `Job ${JOB_ID} (device operations) completed: 2 processed, 1 succeeded, 1 failed.\n` +
        'Results written to standard output; the Status and Error columns say which rows failed and why.\n',
    );
  });

  it('sends no options it was not given, writes --output-file and exits 0 when every row succeeded', async () => {
    api.routes = jobRoutes('POST /devices/operations', [completed('device-operations')], DEVICES_CSV);
    const output = join(folder, 'results.csv');
    const { code, stdout } = await cli([
      'profiles',
      'invitations',
      'devices',
      'batch-operation',
      '--csv-file',
      csvFile,
      '--output-file',
      output,
      '--has-header',
    ]);
    expect(code).toBe(0);
    expect(queryOf(api.recorded[0])).toEqual({ hasHeader: 'true' });
    expect(readFileSync(output).equals(DEVICES_CSV)).toBe(true);
    expect(stdout).toContain(`Results written to ${output}.`);
  });

  it('refuses, before any request, a file over the inline limit, an unknown operation and a missing --csv-file', async () => {
    writeFileSync(csvFile, Buffer.alloc(5 * 1024 * 1024 + 1, 'a'));
    const large = await cli(['invitations', 'devices', 'batch-operation', '--csv-file', csvFile]);
    expect(large.code).toBe(1);
    expect(large.stderr).toContain(
      `--csv-file: ${csvFile} holds 5.0 MiB; the registry takes device operations files of at most 5.0 MiB: split it (usage)`,
    );
    const unknown = await cli([
      'invitations',
      'devices',
      'batch-operation',
      '--csv-file',
      csvFile,
      '--operation',
      'wipe',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--operation.*'wipe'.*revoke, validate, info/);
    const missing = await cli(['invitations', 'devices', 'batch-operation']);
    expect(missing.stderr).toMatch(/required option '--csv-file <file>' not specified/);
    expect(api.recorded).toHaveLength(0);
  });
});

describe('invitations devices batch-revoke-all', () => {
  const summary = { invitationsSuspended: 12, devicesRevoked: 30 };

  beforeEach(() => {
    api.routes = jobRoutes('POST /devices/revoke-all', [
      running('revoke-all'),
      completed('revoke-all', { summary, progress: { processed: 12, succeeded: 12, failed: 0 } }),
    ]);
  });

  it('refuses without --confirm and sends nothing', async () => {
    const { code, stderr } = await cli(['profiles', 'invitations', 'devices', 'batch-revoke-all', '--reason', 'x']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/rerun with --confirm \(confirmation_required\)\n$/);
    expect(api.recorded).toHaveLength(0);
  });

  it('runs the guide’s emergency line: posts {confirm: true}, waits and prints what it suspended and revoked', async () => {
    const { code, stdout } = await cli(['profiles', 'invitations', 'devices', 'batch-revoke-all', '--confirm']);
    expect(code).toBe(0);
    expect(calls()).toEqual(['POST /devices/revoke-all', `GET /jobs/${JOB_ID}`, `GET /jobs/${JOB_ID}`]);
    expect(bodyOf(api.recorded[0])).toEqual({ confirm: true });
    expect(stdout).toMatch(/completed: 12 processed, 12 succeeded, 0 failed\.\n/);
    expect(stdout).toMatch(/^ {2}Invitations suspended: +12$/m);
    expect(stdout).toMatch(/^ {2}Devices revoked: +30$/m);
    expect(stdout).toContain(`prism-registry jobs results ${JOB_ID} --output-file FILE`);
  });

  it('passes --reason and --concurrency and writes the results CSV to --output-file', async () => {
    const output = join(folder, 'revoked.csv');
    const { code, stdout } = await cli([
      'invitations',
      'devices',
      'batch-revoke-all',
      '--confirm',
      '--reason',
      'breach 2026-11',
      '--concurrency',
      '10',
      '--output-file',
      output,
    ]);
    expect(code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({ confirm: true, reason: 'breach 2026-11', concurrency: 10 });
    expect(readFileSync(output).equals(INVITATIONS_CSV)).toBe(true);
    expect(stdout).toContain(`Results written to ${output}.`);
  });
});

describe('invitations revoke --cascade', () => {
  const ID = '01JD8Z3X4Y5W6V7T8S9R0Q1P2N';
  const summary = { invitationsRevoked: 2, alreadyRevoked: 1, devicesRevoked: 4 };
  const done = completed('revoke-cascade', {
    summary,
    progress: { processed: 3, succeeded: 3, failed: 0 },
    resultReady: false,
    resultKey: undefined,
  });
  const revoked = (alreadyRevoked = false): RevokedInvitation => ({
    invitation: invitationViewFixture({ id: ID, status: 'revoked' }),
    revokedDeviceCount: alreadyRevoked ? 0 : 2,
    alreadyRevoked,
    job: job({ kind: 'revoke-cascade', options: { rootId: ID, reason: 'left' } }),
  });
  const routes = (answer: RevokedInvitation, states: JobView[]): Routes => ({
    [`POST /invitations/${ID}/revoke`]: () => ({ body: answer }),
    ...pollRoutes(states),
  });

  it('revokes the invitation, waits for the job with a progress line on a terminal, then prints its counts', async () => {
    api.routes = routes(revoked(), [running('revoke-cascade', 1), done]);
    const { code, stdout, stderr } = await cli(['invitations', 'revoke', ID, '--cascade', '--reason', 'left'], {
      tty: true,
    });
    expect(code).toBe(0);
    expect(calls()).toEqual([`POST /invitations/${ID}/revoke`, `GET /jobs/${JOB_ID}`, `GET /jobs/${JOB_ID}`]);
    expect(bodyOf(api.recorded[0])).toEqual({ reason: 'left', cascade: true });
    expect(stderr).toContain(`Job ${JOB_ID} (revoke cascade) started; waiting for it.\n`);
    expect(stderr).toContain('\r\x1b[Krevoke cascade running: 1 processed, 0 failed');
    expect(stderr.endsWith('\r\x1b[K')).toBe(true);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `Revoked invitation ${ID} (lab-access) and 2 active device(s).`,
      `Job ${JOB_ID} (revoke cascade) completed: 3 processed, 3 succeeded, 0 failed.`,
    ]);
    expect(stdout).toMatch(/^ {2}Invitations revoked: +2$/m);
    expect(stdout).toMatch(/^ {2}Already revoked: +1$/m);
    expect(stdout).toMatch(/^ {2}Devices revoked: +4$/m);
    expect(stdout).not.toContain('Result file');
  });

  it('exits 0 when run again on a revoked invitation, saying so, and gives the whole outcome with --json', async () => {
    const again = { ...done, summary: { invitationsRevoked: 0, alreadyRevoked: 3, devicesRevoked: 0 } };
    api.routes = routes(revoked(true), [again]);
    const text = await cli(['invitations', 'revoke', ID, '--cascade']);
    expect(text.code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({ cascade: true });
    expect(text.stdout.split('\n')[0]).toBe(`Invitation ${ID} (lab-access) was already revoked.`);
    expect(text.stdout).toMatch(/^ {2}Already revoked: +3$/m);

    api.routes = routes(revoked(true), [again]);
    const json = await cli(['--json', 'invitations', 'revoke', ID, '--cascade']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ...revoked(true), job: again });
  });

  it('exits 1 with the job’s reason on stderr when the job failed; --json still prints the outcome', async () => {
    const error = { code: 'job_failed', message: 'The job failed 3 times; see the runner’s logs' };
    const failed = job({ kind: 'revoke-cascade', state: 'failed', error });
    api.routes = routes(revoked(), [failed]);
    const text = await cli(['invitations', 'revoke', ID, '--cascade']);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toContain(
      `prism-registry: job ${JOB_ID} (revoke cascade) failed: The job failed 3 times; see the runner’s logs (job_failed)\n`,
    );

    api.routes = routes(revoked(), [failed]);
    const json = await cli(['--json', 'invitations', 'revoke', ID, '--cascade']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ...revoked(), job: failed });
  });

  it('gives up after --timeout, saying how to follow the job; the invitation stays revoked', async () => {
    api.routes = routes(revoked(), [running('revoke-cascade', 7)]);
    const { code, stdout, stderr } = await cli(['invitations', 'revoke', ID, '--cascade', '--timeout', '5']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`gave up waiting for job ${JOB_ID} after 5 s; it is still running (7 processed)`);
    expect(bodyOf(api.recorded[0])).toEqual({ cascade: true });
  });
});

describe('audit', () => {
  const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
    eventId: '01JDEVENT',
    at: '2026-11-21T10:00:00.123Z',
    actor: 'arn:aws:iam::123456789012:user/alice',
    action: 'device.revoked',
    targetId: 'device-abc',
    details: { invitationId: '01JDINV', reason: 'lost laptop' },
    ...overrides,
  });

  it('puts the filters in the query, follows every cursor with --all and prints a table newest first', async () => {
    const pages: Record<string, unknown> = {
      '': { events: [event({})], cursor: 'p2' },
      p2: { events: [event({ at: '2026-11-20T09:00:00Z', details: { note: 'x'.repeat(100) } })] },
    };
    api.routes = { 'GET /audit': (request) => ({ body: pages[queryOf(request).cursor ?? ''] }) };
    const { code, stdout } = await cli([
      'audit',
      '--since',
      '24h',
      '--until',
      '2026-11-21',
      '--action',
      'device.revoked',
      '--actor',
      'arn:aws:iam::123456789012:user/alice',
      '--target',
      'device-abc',
      '--limit',
      '1',
      '--all',
    ]);
    expect(code).toBe(0);
    const filters = {
      since: '2026-11-20T12:00:00.000Z',
      until: '2026-11-21T00:00:00Z',
      action: 'device.revoked',
      actor: 'arn:aws:iam::123456789012:user/alice',
      targetId: 'device-abc',
      limit: '1',
    };
    expect(api.recorded.map(queryOf)).toEqual([filters, { ...filters, cursor: 'p2' }]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +ACTOR +ACTION +TARGET +DETAILS$/);
    expect(lines[1]).toMatch(
      /^2026-11-21T10:00:00Z +arn:aws:iam::123456789012:user\/alice +device\.revoked +device-abc +invitationId=01JDINV, reason=lost laptop$/,
    );
    expect(lines[2]).toMatch(/^2026-11-20T09:00:00Z .* note=x{54}…$/);
    expect(lines).toHaveLength(3);
  });

  it('points at the next page without --all and prints the API answer with --json', async () => {
    const page = { events: [event({})], cursor: 'c2' };
    api.routes = { 'GET /audit': () => ({ body: page }) };
    const text = await cli(['audit', '--since', '2026-11-01T00:00:00+01:00']);
    expect(queryOf(api.recorded[0])).toEqual({ since: '2026-11-01T00:00:00+01:00' });
    expect(text.stdout).toContain('More events: rerun with --all, or with --cursor c2');
    const json = await cli(['--json', 'audit']);
    expect(JSON.parse(json.stdout)).toEqual(page);
    api.routes = { 'GET /audit': () => ({ body: { events: [] } }) };
    expect((await cli(['audit'])).stdout).toBe('No audit events.\n');
  });

  it('refuses, before any request, times it cannot read, --since after --until and unknown actions', async () => {
    const since = await cli(['audit', '--since', 'yesterday']);
    expect(since.code).toBe(1);
    expect(since.stderr).toMatch(/--since.*'yesterday'.*RFC 3339.*24h.*\(usage\)/);
    const order = await cli(['audit', '--since', '2026-11-21', '--until', '2d']);
    expect(order.code).toBe(1);
    expect(order.stderr).toContain(
      'prism-registry: --since 2026-11-21T00:00:00Z is after --until 2026-11-19T12:00:00.000Z (usage)',
    );
    const action = await cli(['audit', '--action', 'device.deleted']);
    expect(action.code).toBe(1);
    expect(action.stderr).toMatch(/--action.*'device\.deleted'/);
    expect(api.recorded).toHaveLength(0);
  });
});

describe('jobs run / status / list / results', () => {
  it('starts a scheduled job with POST /schedules/{job}/runs and prints its id', async () => {
    api.routes = jobRoutes('POST /schedules/invitation-audit/runs', [completed('invitation-audit')]);
    const { code, stdout } = await cli(['jobs', 'run', 'invitation-audit']);
    expect(code).toBe(0);
    expect(calls()).toEqual(['POST /schedules/invitation-audit/runs']);
    expect(bodyOf(api.recorded[0])).toEqual({});
    expect(stdout).toBe(
      `Started job ${JOB_ID} (invitation audit); follow it with: prism-registry jobs status ${JOB_ID}\n`,
    );
  });

  it('waits with --wait and prints the summary and where the file went', async () => {
    const done = completed('invitation-audit', {
      summary: {
        invitations: 120,
        'status.active': 100,
        'status.suspended': 2,
        'status.revoked': 8,
        'status.expired': 10,
        'type.read_only': 70,
        'type.read_write': 45,
        'type.admin': 5,
        expiringWithin7Days: 3,
        expiringWithin30Days: 40,
      },
      resultKey: 'audits/2026-11-21/invitations.csv',
      progress: { processed: 120, succeeded: 120, failed: 0 },
    });
    api.routes = jobRoutes('POST /schedules/invitation-audit/runs', [running('invitation-audit'), done]);
    const { code, stdout } = await cli(['jobs', 'run', 'invitation-audit', '--wait']);
    expect(code).toBe(0);
    expect(calls()).toEqual(['POST /schedules/invitation-audit/runs', `GET /jobs/${JOB_ID}`, `GET /jobs/${JOB_ID}`]);
    expect(stdout).toMatch(/^ {2}Invitations: +120$/m);
    expect(stdout).toMatch(/^ {2}By status: +100 active, 2 suspended, 8 revoked, 10 expired$/m);
    expect(stdout).toMatch(/^ {2}By type: +70 read_only, 45 read_write, 5 admin$/m);
    expect(stdout).toMatch(/^ {2}Expiring within 7 days: +3$/m);
    expect(stdout).toMatch(/^ {2}Expiring within 30 days: +40$/m);
    expect(stdout).toMatch(/^ {2}Result file: +audits\/2026-11-21\/invitations\.csv in the registry bucket/m);
  });

  it('says the audit archive lies in the audit archive bucket, not the registry bucket', async () => {
    const done = completed('audit-archive', {
      summary: { day: '2026-11-20', events: 12 },
      resultKey: 'audit-log/2026/11/20.ndjson',
    });
    api.routes = jobRoutes('POST /schedules/audit-archive/runs', [done]);
    const { code, stdout } = await cli(['jobs', 'run', 'audit-archive', '--wait']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}Result file: +audit-log\/2026\/11\/20\.ndjson in the audit archive bucket /m);
  });

  it('exits 1 with the reason when the waited-for job failed', async () => {
    const failed = job({
      kind: 'expired-cleanup',
      state: 'failed',
      error: { code: 'throttled', message: 'slow down' },
    });
    api.routes = jobRoutes('POST /schedules/expired-cleanup/runs', [failed]);
    const { code, stderr } = await cli(['jobs', 'run', 'expired-cleanup', '--wait']);
    expect(code).toBe(1);
    expect(stderr).toContain(`job ${JOB_ID} (expired cleanup) failed: slow down (throttled)`);
  });

  it('refuses an unknown job as a usage error, without a request', async () => {
    const { code, stderr } = await cli(['jobs', 'run', 'nightly-backup']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /'nightly-backup' is invalid.*invitation-audit, device-audit, expired-cleanup, audit-archive, expiry-reminders, stale-devices\. \(usage\)/,
    );
    expect(api.recorded).toHaveLength(0);
  });

  it('shows the status of a job', async () => {
    const done = completed('revoke-all', {
      options: { reason: 'breach', concurrency: 10 },
      summary: { invitationsSuspended: 12 },
      createdBy: 'arn:aws:iam::1:user/alice',
    });
    api.routes = pollRoutes([done]);
    const { code, stdout } = await cli(['jobs', 'status', JOB_ID]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Job ${JOB_ID}$`, 'm'));
    expect(stdout).toMatch(/Kind: +revoke all/);
    expect(stdout).toMatch(/State: +completed/);
    expect(stdout).toMatch(/Progress: +2 processed, 2 succeeded, 0 failed/);
    expect(stdout).toMatch(/Created: +2025-01-01T00:00:00Z by arn:aws:iam::1:user\/alice/);
    expect(stdout).toMatch(/Options: +reason breach; concurrency 10/);
    expect(stdout).toMatch(/Invitations suspended: +12/);
    expect(stdout).toMatch(new RegExp(`Result file: +jobs/${JOB_ID}/result.csv in the registry bucket`));
  });

  it('lists jobs of a kind, following every cursor with --all', async () => {
    const pages: Record<string, unknown> = {
      '': { jobs: [completed('device-audit')], cursor: 'p2' },
      p2: { jobs: [job({ id: 'SECOND', kind: 'device-audit' })] },
    };
    api.routes = { 'GET /jobs': (request) => ({ body: pages[queryOf(request).cursor ?? ''] }) };
    const { code, stdout } = await cli(['jobs', 'list', '--kind', 'device-audit', '--all']);
    expect(code).toBe(0);
    expect(api.recorded.map((request) => request.url)).toEqual([
      '/jobs?kind=device-audit',
      '/jobs?kind=device-audit&cursor=p2',
    ]);
    expect(stdout).toMatch(/^ID +KIND +STATE +PROCESSED +FAILED +CREATED +BY$/m);
    expect(stdout).toMatch(
      new RegExp(`^${JOB_ID} +device-audit +completed +2 +0 +2025-01-01T00:00:00Z +admin:local$`, 'm'),
    );
    expect(stdout).toMatch(/^SECOND +device-audit +queued +0 +0 /m);
    expect((await cli(['jobs', 'list', '--kind', 'backup'])).code).toBe(1);
  });

  it('writes the result file of a completed job, and says why it cannot before then', async () => {
    api.routes = pollRoutes([completed('device-audit')], DEVICES_CSV);
    const output = join(folder, 'devices.csv');
    const { code, stdout } = await cli(['jobs', 'results', JOB_ID, '--output-file', output]);
    expect(code).toBe(0);
    expect(readFileSync(output).equals(DEVICES_CSV)).toBe(true);
    expect(stdout).toBe(`Wrote the result file of job ${JOB_ID} to ${output} (${DEVICES_CSV.length} B).\n`);

    api.routes = pollRoutes([running('device-audit')]);
    const early = await cli(['jobs', 'results', JOB_ID]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`job ${JOB_ID} (device audit) is running, not completed (no_result_file)`);
  });
});
