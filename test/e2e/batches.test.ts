import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { LOCAL_NAMES } from '../../system/resources';
import type { InvitationAnswer, IssuedInvitation } from '../../lambdas/contract/views';
import { readLocalEvents } from '../../local/events/event-log';
import { projectRoot } from '../../local/stack/paths';
import { cli, cliWithin } from '../support/cli-process';
import { stackCli } from '../support/stack-cli';
import { call, signedCall } from '../support/gateway-client';
import { SEED_HEADER, classTemplate } from '../support/class-template';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';

/**
 * The batch administrator guide end to end: `invitations batch-create` through the CLI against the embedded
 * stack (presigned upload, S3 event, splitter, SQS pollers, worker, results), and a CSV dropped into the bucket.
 */
jest.setTimeout(600_000);

/** How long a 10,000-row batch may take through the CLI, one chunk at a time on two cores. */
const BIG_BATCH_MS = 300_000;
const FILE_LIMIT_BYTES = 1024 * 1024;

let stack: StackProcess;
let folder: string;
let s3: S3Client;

beforeAll(async () => {
  // A 1 MiB file limit, so an oversized upload needs no 256 MiB file; every other file here is smaller.
  stack = await startStackProcess({ REGISTRY_BATCH_MAX_BYTES: String(FILE_LIMIT_BYTES) });
  folder = mkdtempSync(join(tmpdir(), 'prism-batches-'));
  s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const file = (name: string, content: string) => {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
};

/** The README's command lines that upload a roster to a batch's upload URL, e.g. `curl -T roster.csv "$uploadUrl"`. */
const README_UPLOAD_LINES = [
  ...new Set(
    [...readFileSync(join(projectRoot(), 'README.md'), 'utf8').matchAll(/`(curl [^`]*"\$uploadUrl")`/g)].map(
      (match) => match[1]!,
    ),
  ),
];

const admin = () => stackCli(stack);

/** The columns SPEC §2.2 fixes, in their order: every results and export file starts with them. */
const SPEC_RESULT_HEADER = 'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Error';

const readResults = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true, bom: true });

describe('invitations batch-create', () => {
  test("500 rows of the class template: 500 Success rows in order, read by the guide's DictReader script", async () => {
    const input = file('class_invitations.csv', classTemplate(500));
    const output = join(folder, 'invitations_result.csv');
    const result = await cli(
      stack.env,
      'invitations',
      'batch-create',
      '--csv-file',
      input,
      '--s3-config',
      's3://university/cs101/config',
      '--output-file',
      output,
      '--include-encoded',
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Batch [0-9A-Z]{26}: uploading/);
    const rows = readResults(output);
    expect(rows.map((row) => row.Name)).toEqual(Array.from({ length: 500 }, (_, n) => `Student-${n + 1}`));
    expect(rows.every((row) => row.Status === 'Success' && row.Error === '')).toBe(true);

    const script = join(__dirname, 'scripts/send_invitations.py');
    const read = execFileSync('python3', [script, output], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(read).toHaveLength(500);
    read.forEach((row, n) => {
      expect(row).toMatchObject({ name: `Student-${n + 1}`, valid_days: '120' });
      const payload = JSON.parse(Buffer.from(row.encoded, 'base64url').toString('utf8'));
      expect(payload).toMatchObject({
        name: `Student-${n + 1}`,
        type: 'read_write',
        max_devices: 2,
        s3_config_path: 's3://university/cs101/config',
      });
    });

    const accepted = await cli(
      stack.env,
      'accept-invitation',
      '--encoded',
      read[41].encoded,
      '--name',
      'cs101',
      '--device-id',
      'device-student-42',
    );
    expect(accepted.code).toBe(0);
  });

  test('good rows among bad and ragged ones succeed, the others fail with line numbers, and the exit status says so', async () => {
    const input = file(
      'pending.csv',
      [
        SEED_HEADER,
        'Ok-1,read_only,30,no,no,yes,1',
        'Broken,read_only,30',
        'Bad-Days,read_only,0,no,no,yes,1',
        'Ok-2,rw,,,,,',
      ].join('\r\n'),
    );
    const output = join(folder, 'processed.csv');
    const result = await admin().run('invitations', 'batch-create', '--csv-file', input, '--output-file', output);
    expect(result.code).toBe(1);
    const rows = readResults(output);
    expect(rows.map((row) => `${row.Name}:${row.Status}`)).toEqual([
      'Ok-1:Success',
      'Broken:Failed',
      'Bad-Days:Failed',
      'Ok-2:Success',
    ]);
    expect(rows[1]!.Error).toMatch(/^line 3: expected 7 cells, found 3/);
    expect(rows[2]!.Error).toMatch(/line 4, column "ValidDays": must be a whole number from 1 to 3650/);
    expect(rows[0]!.Token).toMatch(/^inv-/);
    expect(Object.keys(rows[0]!)).not.toContain('Encoded Data');
  });

  test('a rejected file fails the command with the reason and creates nothing', async () => {
    const input = file('wrong.csv', 'Name,ValidDays\nx,30\n');
    const result = await admin().run(
      'invitations',
      'batch-create',
      '--csv-file',
      input,
      '--output-file',
      join(folder, 'never.csv'),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Type/);
  });

  test('departments under a parent token inherit its constraints, with notes', async () => {
    const org = await admin().json<IssuedInvitation>(
      'invitations',
      'create-secure',
      'Organization Admin',
      '--type',
      'admin',
      '--can-invite=true',
      '--max-devices=2',
    );
    const input = file(
      'engineering_team.csv',
      [SEED_HEADER, 'Engineering-Admin,admin,365,yes,no,yes,3', 'Marketing-Admin,admin,365,yes,yes,yes,3'].join('\n'),
    );
    const output = join(folder, 'engineering_invitations.csv');
    const result = await admin().run(
      'invitations',
      'batch-create',
      '--csv-file',
      input,
      '--parent-token',
      org.token,
      '--output-file',
      output,
    );
    expect(result.code).toBe(0);
    const rows = readResults(output);
    expect(rows.map((row) => [row['Max Devices'], row.Transferable, row['Parent Id']])).toEqual([
      ['2', 'no', org.invitation.id],
      ['2', 'no', org.invitation.id],
    ]);
    expect(rows[1]!.Notes).toMatch(/transferable set to false.*maxDevices lowered from 3 to 2/);
  });

  test('a headerless file is read in the seed column order', async () => {
    const input = file('no-header.csv', 'Plain-1,read_only,10,no,no,yes,1\nPlain-2,admin,10,yes,no,no,1\n');
    const output = join(folder, 'no-header-results.csv');
    expect(
      (
        await admin().run(
          'invitations',
          'batch-create',
          '--csv-file',
          input,
          '--has-header=false',
          '--output-file',
          output,
        )
      ).code,
    ).toBe(0);
    expect(readResults(output).map((row) => [row.Name, row.Type, row['Device Bound']])).toEqual([
      ['Plain-1', 'read_only', 'yes'],
      ['Plain-2', 'admin', 'no'],
    ]);
  });

  test.each([1, 2, 5, 20])(
    '10,000 rows at --concurrency %d: every row a Success, in order, each its own invitation',
    async (concurrency) => {
      const input = file(`big-${concurrency}.csv`, classTemplate(10_000));
      const output = join(folder, `big-${concurrency}-results.csv`);
      const result = await cliWithin(
        BIG_BATCH_MS,
        stack.env,
        'invitations',
        'batch-create',
        '--csv-file',
        input,
        '--output-file',
        output,
        '--concurrency',
        String(concurrency),
        '--timeout',
        String(BIG_BATCH_MS / 1000),
      );
      expect(result.stdout).toMatch(/completed: 10000 rows, 10000 succeeded, 0 failed/);
      expect(result.code).toBe(0);
      const rows = readResults(output);
      expect(rows.map((row) => `${row.Row}:${row.Name}:${row.Status}`)).toEqual(
        Array.from({ length: 10_000 }, (_, n) => `${n + 1}:Student-${n + 1}:Success`),
      );
      expect(new Set(rows.map((row) => row.Token)).size).toBe(10_000);
      expect(new Set(rows.map((row) => row.Id)).size).toBe(10_000);
    },
  );

  test('20 KB cells fail their own rows, naming line and column; the good rows beside them succeed', async () => {
    const huge = 'X'.repeat(20_480);
    // 30 oversized rows, and a good one in every fourth place among them.
    const order = Array.from({ length: 40 }, (_, n) => (n % 4 === 3 ? `Good-${(n + 1) / 4}` : huge));
    const input = file(
      'oversized.csv',
      [SEED_HEADER, ...order.map((name) => `${name},read_only,30,no,no,yes,1`)].join('\n'),
    );
    const output = join(folder, 'oversized-results.csv');
    const result = await admin().run('invitations', 'batch-create', '--csv-file', input, '--output-file', output);
    expect(result.code).toBe(1);
    const rows = readResults(output);
    expect(rows).toHaveLength(40);
    rows.forEach((row, n) => {
      if (order[n] === huge) {
        expect(row).toMatchObject({ Status: 'Failed', Token: '' });
        expect(row.Error).toBe(
          `line ${n + 2}, column "Name": is 20,480 characters long, more than the 1,000 a cell may hold`,
        );
        expect(row.Name).toBe(`${'X'.repeat(200)}…`);
      } else {
        expect(row).toMatchObject({ Name: order[n], Status: 'Success', Error: '' });
      }
    });
    expect(rows.filter((row) => row.Status === 'Success')).toHaveLength(10);
  });

  test('a token-shaped name succeeds with its audit event masked; the row beside it succeeds too', async () => {
    const tokenShaped = `inv-${'Q'.repeat(39)}wXyZ`;
    const input = file(
      'token-shaped.csv',
      [SEED_HEADER, `${tokenShaped},read_only,30,no,no,yes,1`, 'Alice,ro,,,,,'].join('\n'),
    );
    const output = join(folder, 'token-shaped-results.csv');
    expect((await admin().run('invitations', 'batch-create', '--csv-file', input, '--output-file', output)).code).toBe(
      0,
    );
    const rows = readResults(output);
    expect(rows.map((row) => [row.Name, row.Status])).toEqual([
      [tokenShaped, 'Success'],
      ['Alice', 'Success'],
    ]);
    const audit = await admin().json<{ events: { details: Record<string, unknown> }[] }>(
      'audit',
      '--target',
      rows[0]!.Id!,
    );
    expect(audit.events[0]!.details.name).toBe('inv-QQQQ…wXyZ');
    expect(JSON.stringify(audit)).not.toContain(tokenShaped);
  });
});

describe('the Email column (SPEC §2.1, §2.2)', () => {
  const FIXED = SPEC_RESULT_HEADER.split(',');

  test('each address lands on its invitation, last in the results and the export; a bad one fails its row alone', async () => {
    const run = Date.now().toString(36);
    const ana = `Ana.Lopez+${run}@Example.EDU`;
    const formula = `=cmd-${run}@x.io`;
    const input = file(
      'emails.csv',
      [`${SEED_HEADER},Email`, `Ana,ro,30,,,,,${ana}`, `Bo,rw,30,,,,,bo-${run}@`, `Cy,ro,30,,,,,${formula}`].join('\n'),
    );
    const output = join(folder, 'emails-results.csv');
    const result = await admin().run('invitations', 'batch-create', '--csv-file', input, '--output-file', output);
    expect(result.code).toBe(1);
    const rows = readResults(output);
    expect(Object.keys(rows[0]!).slice(0, FIXED.length)).toEqual(FIXED);
    expect(Object.keys(rows[0]!).at(-1)).toBe('Email');
    expect(rows.map((row) => [row.Name, row.Status, row.Email])).toEqual([
      ['Ana', 'Success', ana],
      ['Bo', 'Failed', ''],
      ['Cy', 'Success', `'${formula}`],
    ]);
    expect(rows[1]!.Error).toBe(`line 3, column "Email": must look like local@domain.tld (got "bo-${run}@")`);

    const shown = await admin().json<InvitationAnswer>('invitations', 'get', rows[0]!.Id!);
    expect(shown.invitation.email).toBe(ana);

    const exported = join(folder, 'emails-export.csv');
    expect((await admin().run('invitations', 'batch-export', '--output-file', exported)).code).toBe(0);
    const exportRows = readResults(exported);
    expect(Object.keys(exportRows[0]!).slice(0, FIXED.length)).toEqual(FIXED);
    expect(Object.keys(exportRows[0]!).at(-1)).toBe('Email');
    const byId = new Map(exportRows.map((row) => [row.Id, row.Email]));
    expect([byId.get(rows[0]!.Id), byId.get(rows[2]!.Id)]).toEqual([ana, `'${formula}`]);

    for (const id of [rows[0]!.Id!, rows[2]!.Id!]) {
      const audit = await admin().json<{ events: unknown[] }>('audit', '--target', id);
      expect(audit.events).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain(run);
    }
  });
});

describe('the upload URL of POST /batches', () => {
  const admin = (request: Parameters<typeof signedCall>[2]) => signedCall(stack.endpoint, stack.credentials, request);
  const batchNow = async (id: string) =>
    ((await (await admin({ method: 'GET', path: `/batches/${id}` })).json()) as { batch: Record<string, unknown> })
      .batch;
  const resultRows = async (id: string): Promise<Record<string, string>[]> =>
    parse(await (await admin({ method: 'GET', path: `/batches/${id}/results` })).text(), { columns: true });

  async function startUploadBatch(): Promise<{ batchId: string; uploadUrl: string }> {
    const started = await admin({
      method: 'POST',
      path: '/batches',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status).toBe(201);
    return (await started.json()) as { batchId: string; uploadUrl: string };
  }

  test('takes one file: the first is split as it arrived; a second PUT is stored but changes neither the batch nor its results', async () => {
    const { batchId, uploadUrl } = await startUploadBatch();

    expect((await fetch(uploadUrl, { method: 'PUT', body: classTemplate(2) })).status).toBe(200);
    const completed = await waitFor(async () => {
      const batch = await batchNow(batchId);
      return batch.state === 'completed' ? batch : undefined;
    });
    const swapped = [SEED_HEADER, 'Swapped,admin,365,yes,yes,no,5'].join('\n');
    expect((await fetch(uploadUrl, { method: 'PUT', body: swapped })).status).toBe(200);
    // Locally its event reaches the splitter within milliseconds; all it does there is log that it was ignored.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(await batchNow(batchId)).toEqual(completed);
    expect((await resultRows(batchId)).map((row) => row.Name)).toEqual(['Student-1', 'Student-2']);
  });

  test.each(README_UPLOAD_LINES)(
    '`%s`, run as the README gives it, uploads a roster whose batch completes with its rows as written',
    async (line) => {
      const { batchId, uploadUrl } = await startUploadBatch();
      const names = ['Ann & Bob=Co', 'Zoë 100%+1', 'Plain'];
      const roster = [SEED_HEADER, ...names.map((name) => `${name},read_only,30,no,no,yes,1`)].join('\n');
      const workdir = mkdtempSync(join(folder, 'upload-'));
      writeFileSync(join(workdir, 'roster.csv'), roster);

      execFileSync('sh', ['-c', line], { cwd: workdir, env: { ...process.env, uploadUrl }, stdio: 'ignore' });
      const ended = await waitFor(async () => {
        const batch = await batchNow(batchId);
        return batch.state === 'completed' || batch.state === 'failed' ? batch : undefined;
      });

      expect(ended).toMatchObject({ state: 'completed', total: 3, succeeded: 3, failed: 0 });
      expect((await resultRows(batchId)).map((row) => [row.Name, row.Status])).toEqual(
        names.map((name) => [name, 'Success']),
      );
    },
  );
});

describe('an oversized upload', () => {
  test('is refused on arrival: the batch fails too_large, nothing is created, the CLI says why', async () => {
    const rows = Math.ceil(FILE_LIMIT_BYTES / 30);
    const input = file('oversized-file.csv', classTemplate(rows));
    expect(readFileSync(input).length).toBeGreaterThan(FILE_LIMIT_BYTES);
    const result = await admin().run('invitations', 'batch-create', '--csv-file', input);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/larger than 1 MiB/);
    const batches = await admin().json<{ batches: { id: string; state: string; error?: { code: string } }[] }>(
      'batches',
      'list',
      '--limit',
      '1',
    );
    expect(batches.batches[0]).toMatchObject({ state: 'failed', error: { code: 'too_large' } });
    const created = await admin().json<{ invitations: unknown[] }>(
      'invitations',
      'list',
      '--batch-id',
      batches.batches[0]!.id,
    );
    expect(created.invitations).toEqual([]);
  });
});

describe('delegate batches', () => {
  test('a department admin uploads a team CSV inline; the rows are its children and only it sees the batch', async () => {
    const dept = await admin().json<IssuedInvitation>(
      'invitations',
      'create-secure',
      'Engineering-Admin',
      '--type',
      'admin',
      '--can-invite=true',
      '--max-devices=3',
    );
    expect((await admin().run('accept-invitation', '--encoded', dept.encoded, '--device-id', 'device-eng')).code).toBe(
      0,
    );
    const headers = { authorization: `Invitation ${dept.token}`, 'x-prism-device': 'device-eng' };
    const started = await call(stack.endpoint, {
      method: 'POST',
      path: '/delegate/batches',
      query: { includeEncoded: 'true' },
      headers: { ...headers, 'content-type': 'text/csv' },
      body: [SEED_HEADER, 'Team-Member-1,read_write,30,no,no,yes,1', 'Team-Lead,admin,30,yes,no,yes,5'].join('\n'),
    });
    expect(started.status).toBe(202);
    const { batchId } = (await started.json()) as { batchId: string };
    await waitFor(async () => {
      const answer = await call(stack.endpoint, { method: 'GET', path: `/delegate/batches/${batchId}`, headers });
      const { batch } = (await answer.json()) as { batch: { state: string } };
      return batch.state === 'completed' ? batch : undefined;
    });
    const results = await call(stack.endpoint, {
      method: 'GET',
      path: `/delegate/batches/${batchId}/results`,
      headers,
    });
    expect(results.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows: Record<string, string>[] = parse(await results.text(), { columns: true });
    expect(rows.map((row) => [row.Name, row.Status, row['Parent Id'], row['Max Devices']])).toEqual([
      ['Team-Member-1', 'Success', dept.invitation.id, '1'],
      ['Team-Lead', 'Success', dept.invitation.id, '3'],
    ]);
    const other = await admin().json<IssuedInvitation>(
      'invitations',
      'create',
      'Other-Admin',
      '--type',
      'admin',
      '--device-bound=false',
    );
    const foreign = await call(stack.endpoint, {
      method: 'GET',
      path: `/delegate/batches/${batchId}`,
      headers: { authorization: `Invitation ${other.token}` },
    });
    expect(foreign.status).toBe(404);
  });
});

describe('a CSV dropped under drop/', () => {
  test('yields results/<batchId>.csv and a BatchCompleted event with no API call', async () => {
    const existing = new Set(await resultKeys());
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_NAMES.bucket,
        Key: 'drop/open-source-tiers.csv',
        Body: [
          SEED_HEADER,
          'Core-Contributor-ana,read_write,365,yes,no,yes,3',
          'Regular-Contributor-ben,read_write,180,no,no,yes,2',
          'First-Time-Contributor-cy,read_only,60,no,no,yes,1',
        ].join('\n'),
        Metadata: { 'include-encoded': 'true' },
      }),
    );
    const key = await waitFor(async () => (await resultKeys()).find((candidate) => !existing.has(candidate)));
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
    const rows: Record<string, string>[] = parse(await Body!.transformToString(), { columns: true });
    expect(rows.map((row) => [row.Name, row.Status])).toEqual([
      ['Core-Contributor-ana', 'Success'],
      ['Regular-Contributor-ben', 'Success'],
      ['First-Time-Contributor-cy', 'Success'],
    ]);
    expect(rows[0]!['Encoded Data']).toMatch(/^eyJ/);
    const batchId = key.slice('results/'.length, -'.csv'.length);
    const event = await waitFor(async () =>
      readLocalEvents(stack.home).find((candidate) => (candidate.detail as { batchId?: string }).batchId === batchId),
    );
    expect(event).toMatchObject({
      'detail-type': 'BatchCompleted',
      detail: { state: 'completed', source: 's3', total: 3, succeeded: 3, failed: 0 },
    });
  });
});

async function resultKeys(): Promise<string[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: 'results/' }));
  return Contents.map((object) => object.Key!);
}

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
