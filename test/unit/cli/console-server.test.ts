import { mkdirSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { startConsoleServer, type ConsoleServer } from '../../../cli/console/server';
import { PageFiles } from '../../../cli/console/page-files';
import { RegistryClient } from '../../../cli/http';
import { createSigner } from '../../../cli/signing';
import { INLINE_CSV_MAX_BYTES } from '../../../lambdas/contract/routes';
import { runCliAt } from '../../support/cli-in-process';
import { CLI_CREDENTIALS, cliHome, fakeApi } from '../../support/fake-api';
import { scratchFolder } from '../../support/scratch';

const api = fakeApi();
let server: ConsoleServer;
let cookie: string;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so tests choose every header a browser (or an attacker's page) would send. */
function call(
  path: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const { port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** What the console's own page sends: its cookie, and its origin on requests that change something. */
const fromPage = (headers: Record<string, string> = {}) => ({ cookie, origin: server.origin, ...headers });

const errorCode = (reply: Reply) => (JSON.parse(reply.body) as { error: { code: string } }).error.code;

beforeAll(async () => {
  const folder = scratchFolder('prism-console-page-');
  mkdirSync(join(folder, 'assets'));
  writeFileSync(
    join(folder, 'index.html'),
    '<!doctype html><title>Prism</title><script src="/assets/app.js"></script>',
  );
  writeFileSync(join(folder, 'assets', 'app.js'), 'console.log("page")');
  const client = new RegistryClient(
    new URL(api.endpoint),
    createSigner({ region: CLI_CREDENTIALS.region, credentials: CLI_CREDENTIALS }),
  );
  server = await startConsoleServer({ client, page: new PageFiles(folder), port: 0 });
  const opened = await call(new URL(server.openingUrl).pathname + new URL(server.openingUrl).search);
  cookie = String(opened.headers['set-cookie']?.[0]).split(';')[0]!;
});

afterAll(() => server.close());

describe('opening a session', () => {
  it('listens on 127.0.0.1 and prints a URL with a long random secret', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(server.openingUrl).searchParams.get('secret')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('exchanges the secret for an HttpOnly SameSite=Strict cookie that does not hold the secret', async () => {
    const opened = await call(new URL(server.openingUrl).pathname + new URL(server.openingUrl).search);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/');
    const setCookie = String(opened.headers['set-cookie']?.[0]);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).not.toContain(new URL(server.openingUrl).searchParams.get('secret'));
  });

  it('gives no cookie for a wrong secret', async () => {
    const reply = await call('/open?secret=guess');
    expect(reply.status).toBe(401);
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('serves the page with a Content-Security-Policy without inline script, and no CORS', async () => {
    const page = await call('/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Prism</title>');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call('/assets/app.js', { headers: { cookie } })).body).toBe('console.log("page")');
  });
});

describe('the guard refuses', () => {
  it('a request without the session cookie, before it reaches the registry', async () => {
    const page = await call('/');
    expect(page.status).toBe(401);
    const forwarded = await call('/api/invitations', { headers: { origin: server.origin } });
    expect(forwarded.status).toBe(401);
    expect(errorCode(forwarded)).toBe('no_session');
    expect((await call('/api/invitations', { headers: { cookie: 'prism_console_session=forged' } })).status).toBe(401);
    expect(api.recorded).toEqual([]);
  });

  it('a request with a foreign Origin, even with the cookie', async () => {
    const reply = await call('/api/invitations', {
      method: 'POST',
      headers: fromPage({ origin: 'https://attacker.example', 'content-type': 'application/json' }),
      body: '{"name":"x","type":"admin"}',
    });
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('foreign_origin');
    expect(api.recorded).toEqual([]);
  });

  it('a change without an Origin, and a cross-site fetch', async () => {
    const noOrigin = await call('/api/invitations/i1/revoke', { method: 'POST', headers: { cookie } });
    expect(noOrigin.status).toBe(403);
    const crossSite = await call('/api/invitations', { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(api.recorded).toEqual([]);
  });

  it('a request with a foreign Host (a DNS-rebound name), even with the cookie', async () => {
    const { port } = new URL(server.origin);
    const reply = await call('/api/invitations', { headers: { cookie, host: `attacker.example:${port}` } });
    expect(reply.status).toBe(403);
    expect(errorCode(reply)).toBe('foreign_host');
    expect((await call('/', { headers: { cookie, host: `127.0.0.1:1` } })).status).toBe(403);
    expect(api.recorded).toEqual([]);
  });

  it('routes that are not administrator routes: recipients and delegates carry their own credentials', async () => {
    for (const [method, path] of [
      ['GET', '/api/registry/validate?token=t&device_id=d'],
      ['POST', '/api/accept'],
      ['GET', '/api/delegate/invitations'],
      ['GET', '/api/health'],
      ['GET', '/api/nothing/here'],
    ] as const) {
      const reply = await call(path, { method, headers: fromPage() });
      expect([path, reply.status, errorCode(reply)]).toEqual([path, 404, 'no_such_route']);
    }
    expect(api.recorded).toEqual([]);
  });

  it('a body larger than an inline batch, without passing it on', async () => {
    const reply = await call('/api/batches', {
      method: 'POST',
      headers: fromPage({ 'content-type': 'text/csv' }),
      body: Buffer.alloc(INLINE_CSV_MAX_BYTES + 1, 'a'),
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.message).toContain('invitations batch-create');
    expect(api.recorded).toEqual([]);
  });

  it('a path that climbs out of the page folder', async () => {
    for (const path of ['/assets/..%2findex.html', '/assets/../../package.json', '/assets/.hidden']) {
      expect((await call(path, { headers: { cookie } })).status).toBe(404);
    }
  });
});

describe('forwarding', () => {
  it('signs the page’s call as the CLI does, passes no cookie on, and gives back the registry’s answer', async () => {
    api.routes['GET /invitations'] = () => ({ status: 200, body: { invitations: [{ id: 'i1' }] } });
    const reply = await call('/api/invitations?status=active&name=Lab%20A', { headers: { cookie } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ invitations: [{ id: 'i1' }] });
    const [sent] = api.recorded;
    expect(sent!.url).toBe('/invitations?status=active&name=Lab%20A');
    expect(sent!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/local-1\/execute-api\//,
    );
    expect(sent!.headers.cookie).toBeUndefined();
    expect(sent!.headers.origin).toBeUndefined();
  });

  it('passes a JSON body byte for byte, and the registry’s refusal as it came', async () => {
    api.routes['POST /invitations'] = () => ({
      status: 400,
      body: { error: { code: 'validation_failed', message: 'name: is required' } },
    });
    const body = '{"type":"admin",  "validDays":30}';
    const reply = await call('/api/invitations', {
      method: 'POST',
      headers: fromPage({ 'content-type': 'application/json', 'idempotency-key': 'k1' }),
      body,
    });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('validation_failed');
    expect(api.recorded[0]!.body).toBe(body);
    expect(api.recorded[0]!.headers['idempotency-key']).toBe('k1');
  });

  it('passes a CSV batch byte for byte, with its options in the query', async () => {
    api.routes['POST /batches'] = () => ({ status: 202, body: { batchId: 'b1' } });
    const csv = 'Name,Type\r\nLab,admin\r\n';
    const reply = await call('/api/batches?concurrency=10&includeEncoded=true', {
      method: 'POST',
      headers: fromPage({ 'content-type': 'text/csv' }),
      body: csv,
    });
    expect(reply.status).toBe(202);
    expect(api.recorded[0]!.url).toBe('/batches?concurrency=10&includeEncoded=true');
    expect(api.recorded[0]!.headers['content-type']).toBe('text/csv');
    expect(api.recorded[0]!.body).toBe(csv);
  });

  it('refuses a body that is neither JSON nor CSV', async () => {
    const reply = await call('/api/invitations', {
      method: 'POST',
      headers: fromPage({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: 'name=x',
    });
    expect(reply.status).toBe(415);
    expect(api.recorded).toEqual([]);
  });

  it('says which registry it speaks to', async () => {
    const reply = await call('/session', { headers: { cookie } });
    expect(JSON.parse(reply.body)).toEqual({ endpoint: `${api.endpoint}/`, embedded: true });
  });
});

describe('downloads', () => {
  it('gives a batch’s inline results as an attachment', async () => {
    api.routes['GET /batches/b1/results'] = () => ({ body: 'Name,Status\r\nLab,success\r\n', type: 'text/csv' });
    const reply = await call('/download/batches/b1/results', { headers: { cookie } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe('attachment; filename="batch-b1-results.csv"');
    expect(reply.body).toBe('Name,Status\r\nLab,success\r\n');
  });

  it('follows the short-lived link of a large file itself', async () => {
    api.routes['GET /batches/b2/results'] = () => ({
      body: { batchId: 'b2', downloadUrl: `${api.endpoint}/bucket/results.csv?X-Amz-Signature=s`, bytes: 9 },
    });
    api.routes['GET /bucket/results.csv'] = () => ({ body: 'Name\r\nLab\r\n', type: 'text/csv' });
    const reply = await call('/download/batches/b2/results', { headers: { cookie } });
    expect(reply.body).toBe('Name\r\nLab\r\n');
    expect(api.recorded[1]!.headers.authorization).toBeUndefined();
  });

  it('answers the registry’s refusal as an error, not as a file', async () => {
    api.routes['GET /jobs/j1'] = () => ({ body: { job: { id: 'j1', kind: 'invitation-export', state: 'running' } } });
    const running = await call('/download/jobs/j1', { headers: { cookie } });
    expect(running.status).toBe(502);
    expect(running.headers['content-disposition']).toBeUndefined();
    expect(errorCode(running)).toBe('no_result_file');
    const missing = await call('/download/batches/nope/results', { headers: { cookie } });
    expect(missing.status).toBe(404);
  });
});

describe('prism-registry console', () => {
  it('says so and serves nothing when the registry refuses its credentials', async () => {
    api.routes['GET /jobs'] = () => ({
      status: 403,
      body: { message: 'The security token included in the request is invalid.' },
    });
    const result = await runCliAt(api.endpoint, cliHome('prism-console-cli-'), ['console', '--no-open']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The security token included in the request is invalid');
    expect(result.stdout).not.toContain('/open?secret=');
    expect(api.recorded.map(({ method, url }) => `${method} ${url}`)).toEqual(['GET /jobs?limit=1']);
  });

  it('refuses a port outside 1-65535 before doing anything', async () => {
    const result = await runCliAt(api.endpoint, cliHome('prism-console-cli-'), ['console', '--port', '70000']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Expected a whole number from 1 to 65535');
    expect(api.recorded).toEqual([]);
  });
});
