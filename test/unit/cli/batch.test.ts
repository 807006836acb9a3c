import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../../../cli/poll';
import { batchViewFixture } from '../../support/views';
import type { BatchView } from '../../../lambdas/contract/views';
import { fakeClock, runCliAt } from '../../support/cli-in-process';
import { type Answer, type Recorded, type Routes, cliHome, fakeApi } from '../../support/fake-api';
import { scratchFolder } from '../../support/scratch';

/**
 * `invitations batch-create` and `batches …` run in-process against a local HTTP server that plays both the
 * registry API and the presigned S3 URLs, recording every request.
 */

const home = cliHome('prism-cli-batch-');
const api = fakeApi();

const BATCH_ID = '01JDBATCH0000000000000000A';
const PARENT_TOKEN = 'inv-7Zq3xYb2Kc9Lm1Np4Rs6Tu8Vw0XyAbCdEfGhIjKlMnO';
const INPUT =
  'Name,Type,ValidDays,CanInvite,Transferable,DeviceBound,MaxDevices\nStudent-1,read_write,120,no,no,yes,2\n';
/** A BOM, CRLF, quoting and non-ASCII: written byte for byte, never re-encoded. */
const RESULTS = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(
    'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Encoded Data,Error\r\n' +
      'José,read_write,inv-AAA,120,no,no,yes,2,Success,eyJ0,\r\n' +
      'Bad,read_write,,120,no,no,yes,2,Failed,,"line 3, column MaxDevices: must be a whole number from 1 to 5"\r\n',
  ),
]);

const batchView = (overrides: Partial<BatchView> = {}): BatchView => batchViewFixture({ id: BATCH_ID, ...overrides });

const processing = batchView({ state: 'processing', total: 4, succeeded: 2, failed: 0, progress: 0.5 });
const completed = (failed: number, extra: Partial<BatchView> = {}) =>
  batchView({
    state: 'completed',
    total: 4,
    succeeded: 4 - failed,
    failed,
    progress: 1,
    completedAt: '2025-01-01T00:01:00.000Z',
    resultsReady: true,
    ...extra,
  });

let folder: string;
let csvFile: string;

/** The API answers: started, then each of `states` in turn (the last one repeats), then the results. */
function batchRoutes(
  states: BatchView[],
  results: Answer = { body: RESULTS, type: 'text/csv; charset=utf-8' },
): Routes {
  let polls = 0;
  return {
    'POST /batches': () => ({
      status: 201,
      body: {
        batchId: BATCH_ID,
        uploadUrl: `${api.endpoint}/upload/${BATCH_ID}.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=f00d`,
        uploadExpiresAt: '2025-01-01T00:15:00.000Z',
        batch: batchView({ state: 'awaiting_upload' }),
      },
    }),
    [`PUT /upload/${BATCH_ID}.csv`]: () => ({ body: '' }),
    [`GET /batches/${BATCH_ID}`]: () => ({ body: { batch: states[Math.min(polls++, states.length - 1)] } }),
    [`GET /batches/${BATCH_ID}/results`]: () => results,
  };
}

beforeEach(() => {
  api.routes = batchRoutes([processing, completed(0)]);
  folder = scratchFolder('prism-cli-batch-files-');
  csvFile = join(folder, 'class_invitations.csv');
  writeFileSync(csvFile, INPUT);
});

const cli = (args: string[], options: { tty?: boolean; clock?: Clock } = {}) =>
  runCliAt(api.endpoint, home, args, options);

const calls = () => api.recorded.map((request) => `${request.method} ${request.url.split('?')[0]}`);
const bodyOf = (request: Recorded | undefined) => JSON.parse(request?.raw.toString() ?? 'null');
const find = (key: string) => api.recorded.find((request) => `${request.method} ${request.url.split('?')[0]}` === key);

describe('invitations batch-create', () => {
  it('runs the seed’s class batch: options as JSON, the file PUT as it is, polling, results byte for byte', async () => {
    const output = join(folder, 'invitations_result.csv');
    const { code, stdout, stderr } = await cli([
      'profiles',
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--s3-config',
      's3://university/cs101/config',
      '--output-file',
      output,
      '--include-encoded',
    ]);
    expect(stderr).not.toContain('prism-registry:');
    expect(code).toBe(0);
    expect(calls()).toEqual([
      'POST /batches',
      `PUT /upload/${BATCH_ID}.csv`,
      `GET /batches/${BATCH_ID}`,
      `GET /batches/${BATCH_ID}`,
      `GET /batches/${BATCH_ID}/results`,
    ]);
    const [start, upload] = api.recorded;
    expect(start?.headers['content-type']).toBe('application/json');
    expect(start?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\//);
    expect(bodyOf(start)).toEqual({ includeEncoded: true, s3ConfigPath: 's3://university/cs101/config' });
    expect(upload?.raw.equals(readFileSync(csvFile))).toBe(true);
    expect(upload?.headers['content-length']).toBe(String(INPUT.length));
    expect(upload?.headers['transfer-encoding']).toBeUndefined();
    expect(upload?.headers.authorization).toBeUndefined();
    expect(upload?.url).toContain('X-Amz-Signature=f00d');
    expect(find(`GET /batches/${BATCH_ID}/results`)?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256/);
    expect(readFileSync(output).equals(RESULTS)).toBe(true);
    expect(statSync(output).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual(['class_invitations.csv', 'invitations_result.csv']);
    expect(stdout).toBe(`Batch ${BATCH_ID} completed: 4 rows, 4 succeeded, 0 failed.\nResults written to ${output}.\n`);
    expect(stderr).toBe(`Batch ${BATCH_ID}: uploading ${csvFile} (${INPUT.length} B), then waiting for its results.\n`);
  });

  it('sends the parent token and concurrency in the JSON body, never in a URL', async () => {
    const { code } = await cli([
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--parent-token',
      PARENT_TOKEN,
      '--concurrency',
      '20',
      '--has-header=no',
      '--no-include-encoded',
      '--deliver',
      '--output-file',
      join(folder, 'engineering_invitations.csv'),
    ]);
    expect(code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({
      parentToken: PARENT_TOKEN,
      concurrency: 20,
      hasHeader: false,
      includeEncoded: false,
      deliver: true,
    });
    expect(api.recorded.every((request) => !request.url.includes(PARENT_TOKEN))).toBe(true);
    expect(api.recorded.slice(1).every((request) => !request.raw.toString().includes(PARENT_TOKEN))).toBe(true);
  });

  it('streams a large file from disk with its Content-Length', async () => {
    const large = Buffer.alloc(3 * 1024 * 1024 + 17, 'Student,read_only\n');
    writeFileSync(csvFile, large);
    const { code } = await cli([
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--output-file',
      join(folder, 'o.csv'),
    ]);
    expect(code).toBe(0);
    const upload = find(`PUT /upload/${BATCH_ID}.csv`);
    expect(upload?.headers['content-length']).toBe(String(large.length));
    expect(upload?.raw.equals(large)).toBe(true);
  });

  it('sends --parent-id as parentId', async () => {
    await cli(['invitations', 'batch-create', '--csv-file', csvFile, '--parent-id', 'P1']);
    expect(bodyOf(api.recorded[0])).toEqual({ parentId: 'P1' });
  });

  it('writes the results to stdout without --output-file, the summary to stderr, exit 1 when rows failed', async () => {
    api.routes = batchRoutes([completed(1, { warnings: ['unknown column ignored: Email'] })]);
    const { code, stdout, stdoutBytes, stderr } = await cli(['invitations', 'batch-create', '--csv-file', csvFile]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stdoutBytes.equals(RESULTS)).toBe(true);
    expect(stderr).toContain(
      `Batch ${BATCH_ID} completed: 4 rows, 3 succeeded, 1 failed.\n` +
        'Warnings:\n  - unknown column ignored: Email\n' +
        'Results written to standard output; the Status and Error columns say which rows failed and why.\n',
    );
  });

  it('downloads a large result from the BatchResultsLink with a plain GET', async () => {
    api.routes = {
      ...batchRoutes([completed(0)], {
        body: {
          batchId: BATCH_ID,
          downloadUrl: `${api.endpoint}/download/results.csv?X-Amz-Signature=beef`,
          expiresAt: '2025-01-01T00:15:00.000Z',
          bytes: RESULTS.length,
        },
      }),
      'GET /download/results.csv': () => ({ body: RESULTS, type: 'text/csv' }),
    };
    const output = join(folder, 'out.csv');
    const { code } = await cli(['invitations', 'batch-create', '--csv-file', csvFile, '--output-file', output]);
    expect(code).toBe(0);
    const downloaded = find('GET /download/results.csv');
    expect(downloaded?.url).toBe('/download/results.csv?X-Amz-Signature=beef');
    expect(downloaded?.headers.authorization).toBeUndefined();
    expect(readFileSync(output).equals(RESULTS)).toBe(true);
  });

  it('keeps no partial file when the download is shorter than announced', async () => {
    api.routes = {
      ...batchRoutes([completed(0)], {
        body: { batchId: BATCH_ID, downloadUrl: `${api.endpoint}/download/r.csv`, expiresAt: '', bytes: 9999 },
      }),
      'GET /download/r.csv': () => ({ body: RESULTS, type: 'text/csv' }),
    };
    const output = join(folder, 'out.csv');
    const { code, stderr } = await cli(['invitations', 'batch-create', '--csv-file', csvFile, '--output-file', output]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/broke off: \d+ of 9999 bytes arrived \(download_failed\)/);
    expect(readdirSync(folder)).toEqual(['class_invitations.csv']);
  });

  it('says why S3 refused the download', async () => {
    api.routes = {
      ...batchRoutes([completed(0)], {
        body: { batchId: BATCH_ID, downloadUrl: `${api.endpoint}/download/r.csv`, expiresAt: '', bytes: 1 },
      }),
      'GET /download/r.csv': () => ({
        status: 403,
        type: 'application/xml',
        body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      }),
    };
    const { code, stderr } = await cli(['invitations', 'batch-create', '--csv-file', csvFile]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/download of the results .* refused: HTTP 403 AccessDenied: Request has expired/);
  });

  it('prints the file-level error and exits 1 when the whole file was rejected', async () => {
    const error = { code: 'invalid_csv', message: 'line 1: the header has no Type column' };
    api.routes = batchRoutes([batchView({ state: 'failed', error })]);
    const output = join(folder, 'out.csv');
    const { code, stdout, stderr } = await cli([
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--output-file',
      output,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `prism-registry: batch ${BATCH_ID} rejected ${csvFile}: line 1: the header has no Type column (invalid_csv)\n`,
    );
    expect(calls()).not.toContain(`GET /batches/${BATCH_ID}/results`);
    expect(readdirSync(folder)).toEqual(['class_invitations.csv']);
  });

  it('says why S3 refused the upload and does not wait', async () => {
    api.routes = {
      ...batchRoutes([completed(0)]),
      [`PUT /upload/${BATCH_ID}.csv`]: () => ({
        status: 403,
        type: 'application/xml',
        body: '<Error><Code>SignatureDoesNotMatch</Code><Message>The signature does not match</Message></Error>',
      }),
    };
    const { code, stderr } = await cli(['invitations', 'batch-create', '--csv-file', csvFile]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `prism-registry: batch ${BATCH_ID} got no file, no invitation was created: the upload of ${csvFile} was ` +
        'refused: HTTP 403 SignatureDoesNotMatch: The signature does not match (upload_failed)',
    );
    expect(stderr).not.toContain('f00d');
    expect(calls()).toEqual(['POST /batches', `PUT /upload/${BATCH_ID}.csv`]);
  });

  it('prints the final batch as JSON with --json', async () => {
    api.routes = batchRoutes([completed(1)]);
    const output = join(folder, 'out.csv');
    const { code, stdout } = await cli([
      '--json',
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--output-file',
      output,
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ batch: completed(1) });
  });

  it('polls about every second, a little less often as a long batch goes on, until the results are ready', async () => {
    const { clock, sleeps } = fakeClock();
    const states = [
      ...Array.from({ length: 150 }, () => processing),
      completed(0, { resultsReady: false }),
      completed(0),
    ];
    api.routes = batchRoutes(states);
    const { code } = await cli(['invitations', 'batch-create', '--csv-file', csvFile], { clock });
    expect(code).toBe(0);
    expect(sleeps).toHaveLength(151);
    expect(sleeps.slice(0, 60).every((ms) => ms === 1000)).toBe(true);
    expect(Math.max(...sleeps)).toBeGreaterThan(1000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(5000);
  });

  it('sits out a passing server error while polling', async () => {
    let polls = 0;
    api.routes = {
      ...batchRoutes([completed(0)]),
      [`GET /batches/${BATCH_ID}`]: () =>
        polls++ < 2 ? { status: 503, body: { message: 'Service Unavailable' } } : { body: { batch: completed(0) } },
    };
    const { code } = await cli(['invitations', 'batch-create', '--csv-file', csvFile]);
    expect(code).toBe(0);
    expect(polls).toBe(3);
  });

  it('gives up after --timeout, saying how to follow the batch', async () => {
    api.routes = batchRoutes([processing]);
    const { clock, sleeps } = fakeClock();
    const { code, stderr } = await cli(['invitations', 'batch-create', '--csv-file', csvFile, '--timeout', '5'], {
      clock,
    });
    expect(code).toBe(1);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(5000);
    expect(stderr).toContain(`gave up waiting for batch ${BATCH_ID} after 5 s; it is still processing (2/4 rows)`);
    expect(stderr).toContain(`prism-registry batches status ${BATCH_ID}`);
    expect(stderr).toMatch(/\(wait_timeout\)\n$/);
  });

  it('draws a progress bar redrawn in place on a terminal', async () => {
    api.routes = batchRoutes([batchView({ state: 'queued' }), processing, completed(1)]);
    const { stderr } = await cli(
      ['invitations', 'batch-create', '--csv-file', csvFile, '--output-file', join(folder, 'o.csv')],
      {
        tty: true,
      },
    );
    expect(stderr).toContain(`\r\x1b[K[####################] uploading ${INPUT.length} B of ${INPUT.length} B`);
    expect(stderr).toContain('\r\x1b[K[....................] queued');
    expect(stderr).toContain('\r\x1b[K[##########..........] 2/4 rows, 0 failed');
    expect(stderr).toContain('\r\x1b[K[####################] 4/4 rows, 1 failed');
    expect(stderr.endsWith('\r\x1b[K')).toBe(true);
  });

  it('draws nothing when stderr is not a terminal: one line to say what it does', async () => {
    api.routes = batchRoutes([batchView({ state: 'queued' }), processing, completed(1)]);
    const { stderr } = await cli([
      'invitations',
      'batch-create',
      '--csv-file',
      csvFile,
      '--output-file',
      join(folder, 'o.csv'),
    ]);
    expect(stderr).not.toMatch(/[\r\x1b[]/);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});

describe('batch-create flag checks, before any request', () => {
  const refused = async (args: string[], message: RegExp) => {
    const { code, stderr } = await cli(['invitations', 'batch-create', ...args]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(api.recorded).toHaveLength(0);
  };

  it.each(['0', '51', '1.5', 'many', '-3'])('refuses --concurrency %s, naming the flag and the range', (value) =>
    refused(
      ['--csv-file', csvFile, '--concurrency', value],
      /--concurrency.*Expected a whole number from 1 to 50\. \(usage\)/,
    ),
  );

  it('refuses a --has-header or --include-encoded word that is not a boolean', async () => {
    await refused(['--csv-file', csvFile, '--has-header=maybe'], /--has-header.*'maybe'.*\(usage\)/);
    await refused(['--csv-file', csvFile, '--include-encoded', 'si'], /--include-encoded.*'si'.*\(usage\)/);
  });

  it('needs --csv-file, a readable non-empty file', async () => {
    await refused([], /required option '--csv-file <file>' not specified/);
    await refused(
      ['--csv-file', join(folder, 'missing.csv')],
      /--csv-file: cannot read .*missing\.csv: no such file \(usage\)/,
    );
    await refused(['--csv-file', folder], /--csv-file: .* is not a file \(usage\)/);
    writeFileSync(join(folder, 'empty.csv'), '');
    await refused(['--csv-file', join(folder, 'empty.csv')], /--csv-file: .*empty\.csv is empty \(usage\)/);
  });

  it('needs --output-file in a folder that exists', async () => {
    await refused(
      ['--csv-file', csvFile, '--output-file', join(folder, 'nowhere', 'out.csv')],
      /--output-file: cannot write to the folder .*nowhere: no such folder \(usage\)/,
    );
    await refused(['--csv-file', csvFile, '--output-file', folder], /--output-file: .* is a folder \(usage\)/);
  });

  it('takes --parent-token or --parent-id, not both', () =>
    refused(['--csv-file', csvFile, '--parent-id', 'P', '--parent-token', PARENT_TOKEN], /cannot be used with/));

  it('refuses --json without --output-file, where the CSV would share standard output', async () => {
    const { code, stderr } = await cli(['--json', 'invitations', 'batch-create', '--csv-file', csvFile]);
    expect(code).toBe(1);
    expect(stderr).toContain('--json needs --output-file');
    expect(api.recorded).toHaveLength(0);
  });

  it('refuses a --timeout that is not a whole number of seconds', () =>
    refused(['--csv-file', csvFile, '--timeout', '1h'], /--timeout.*Expected a whole number/));
});

describe('the administrator guide’s batch-create invocations', () => {
  // Each as the guide writes it, with `prism` → `prism-registry` and the files made to exist.
  const invocations = [
    '--csv-file class_invitations.csv --s3-config s3://university/cs101/config --output-file invitations_result.csv --include-encoded',
    '--csv-file engineering_team.csv --parent-token TOKEN_FROM_DEPARTMENT_ADMIN --output-file engineering_invitations.csv',
    '--csv-file ./users/pending.csv --output-file ./users/processed.csv',
    '--csv-file new_users.csv --output-file new_invitations.csv --include-encoded',
    '--concurrency 20 --csv-file class_invitations.csv',
    '--concurrency 5 --csv-file class_invitations.csv',
  ];

  it.each(invocations)('prism-registry profiles invitations batch-create %s', async (line) => {
    const args = line.split(' ').map((arg) => (arg.endsWith('.csv') ? join(folder, arg) : arg));
    for (const path of args.filter((arg) => arg.endsWith('.csv'))) mkdirSync(dirname(path), { recursive: true });
    writeFileSync(args[args.indexOf('--csv-file') + 1]!, INPUT);
    const { code, stderr } = await cli(['profiles', 'invitations', 'batch-create', ...args]);
    expect(stderr).not.toContain('prism-registry:');
    expect(code).toBe(0);
    expect(calls()[0]).toBe('POST /batches');
  });
});

describe('batches list / status / results', () => {
  it('lists batches as a table, passing the filters and following every cursor with --all', async () => {
    const pages: Record<string, unknown> = {
      '': { batches: [completed(1)], cursor: 'p2' },
      p2: { batches: [batchView({ id: 'SECOND', source: 's3' })] },
    };
    api.routes = {
      'GET /batches': (request) => ({
        body: pages[new URL(request.url, api.endpoint).searchParams.get('cursor') ?? ''],
      }),
    };
    const { code, stdout } = await cli(['batches', 'list', '--state', 'completed', '--limit', '1', '--all']);
    expect(code).toBe(0);
    expect(api.recorded.map((request) => request.url)).toEqual([
      '/batches?state=completed&limit=1',
      '/batches?state=completed&limit=1&cursor=p2',
    ]);
    expect(stdout).toMatch(/^ID +STATE +SOURCE +ROWS +FAILED +CREATED$/m);
    expect(stdout).toMatch(new RegExp(`^${BATCH_ID} +completed +api +4/4 +1 +2025-01-01T00:00:00Z$`, 'm'));
    expect(stdout).toMatch(/^SECOND +queued +s3 +0\/\? +0 +2025-01-01T00:00:00Z$/m);
  });

  it('points at the next page without --all, and refuses an unknown state', async () => {
    api.routes = { 'GET /batches': () => ({ body: { batches: [], cursor: 'c2' } }) };
    expect((await cli(['batches', 'list'])).stdout).toBe('No batches.\n');
    api.routes = { 'GET /batches': () => ({ body: { batches: [processing], cursor: 'c2' } }) };
    expect((await cli(['batches', 'list'])).stdout).toContain('--cursor c2');
    expect((await cli(['batches', 'list', '--state', 'done'])).code).toBe(1);
  });

  it('shows the state, progress, counts, warnings and error of one batch', async () => {
    const failed = batchView({
      state: 'failed',
      warnings: ['unknown column ignored: Email'],
      error: { code: 'invalid_csv', message: 'line 1: the header has no Type column' },
    });
    api.routes = { [`GET /batches/${BATCH_ID}`]: () => ({ body: { batch: failed } }) };
    const { code, stdout } = await cli(['batches', 'status', BATCH_ID]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Batch ${BATCH_ID}$`, 'm'));
    expect(stdout).toMatch(/State: +failed/);
    expect(stdout).toMatch(/Progress: +0\/\? rows \(0%\)/);
    expect(stdout).toMatch(/Error: +line 1: the header has no Type column \(invalid_csv\)/);
    expect(stdout).toMatch(/Results: +none \(the file was rejected\)/);
    expect(stdout).toContain('Warnings:\n  - unknown column ignored: Email');

    api.routes = { [`GET /batches/${BATCH_ID}`]: () => ({ body: { batch: processing } }) };
    const running = await cli(['batches', 'status', BATCH_ID]);
    expect(running.stdout).toMatch(/Progress: +2\/4 rows \(50%\)/);
    expect(running.stdout).toMatch(/Options: +include encoded no; concurrency 5; header yes/);
    expect(running.stdout).toMatch(/Results: +not yet/);
  });

  it('writes the results of a batch to stdout, or to --output-file with a note', async () => {
    const toStdout = await cli(['batches', 'results', BATCH_ID]);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdoutBytes.equals(RESULTS)).toBe(true);
    expect(toStdout.stdout).toBe('');
    expect(api.recorded[0]?.headers.accept).toBe('text/csv, application/json');

    const output = join(folder, 'again.csv');
    const toFile = await cli(['batches', 'results', BATCH_ID, '--output-file', output]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(output).equals(RESULTS)).toBe(true);
    expect(toFile.stdout).toBe(`Wrote the results of batch ${BATCH_ID} to ${output} (${RESULTS.length} B).\n`);
  });

  it('reports the registry refusing results that are not ready', async () => {
    api.routes = {
      [`GET /batches/${BATCH_ID}/results`]: () => ({
        status: 409,
        body: { error: { code: 'batch_not_completed', message: 'The batch is still processing' } },
      }),
    };
    const { code, stderr } = await cli(['batches', 'results', BATCH_ID]);
    expect(code).toBe(1);
    expect(stderr).toBe('prism-registry: The batch is still processing (batch_not_completed, HTTP 409)\n');
  });
});
