import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../../../cli/main';
import type { IssuedInvitation } from '../../../lambdas/contract/views';
import { invitationViewFixture } from '../../support/views';
import { verifySigV4 } from '../../../local/gateway/sigv4';
import { CLI_CREDENTIALS, type Recorded, cliHome, fakeApi } from '../../support/fake-api';

/** The CLI run in-process against a local HTTP server that records every request and answers from `routes`. */

const home = cliHome('prism-cli-');
const api = fakeApi();

const TOKEN = 'inv-7Zq3xYb2Kc9Lm1Np4Rs6Tu8Vw0XyAbCdEfGhIjKlMnO';
const ID = '01JD8Z3X4Y5W6V7T8S9R0Q1P2N';
const invitation = invitationViewFixture({ id: ID });
const issued: IssuedInvitation = { invitation, token: TOKEN, encoded: 'eyJ0b2tlbiI6Imludi0ifQ', notes: [] };
const device = {
  invitationId: ID,
  deviceId: 'device-abc',
  hostname: 'host-1',
  username: 'ana',
  status: 'active' as const,
  registeredAt: '2025-01-02T00:00:00.000Z',
  lastSeenAt: '2025-01-03T00:00:00.000Z',
};

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(['--endpoint', api.endpoint, ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { PRISM_REGISTRY_HOME: home, ...env },
  });
  return { code, stdout, stderr };
}

const bodyOf = (request: Recorded | undefined) => JSON.parse(request?.body ?? 'null');
const lookupRoute = { 'POST /invitations/lookup': () => ({ body: { invitation } }) };

describe('invitations create / create-secure', () => {
  beforeEach(() => {
    api.routes = { 'POST /invitations': () => ({ status: 201, body: issued }) };
  });

  it('posts the seed’s create-secure flags and prints the token and encoded invitation', async () => {
    const { code, stdout } = await cli([
      'invitations',
      'create-secure',
      'lab-access',
      '--type',
      'admin',
      '--can-invite=true',
      '--transferable=false',
      '--device-bound=true',
      '--max-devices=3',
      '--email',
      'Lab.Lead@Example.EDU',
    ]);
    expect(code).toBe(0);
    expect(api.recorded).toHaveLength(1);
    expect(api.recorded[0]).toMatchObject({ method: 'POST', url: '/invitations' });
    expect(bodyOf(api.recorded[0])).toEqual({
      name: 'lab-access',
      type: 'admin',
      canInvite: true,
      transferable: false,
      deviceBound: true,
      maxDevices: 3,
      email: 'Lab.Lead@Example.EDU',
    });
    expect(stdout).toContain(`Token (secret, shown only now):\n  ${TOKEN}`);
    expect(stdout).toContain(issued.encoded);
  });

  it('signs the request so the embedded gateway’s verifier accepts it', async () => {
    await cli(['invitations', 'create', 'lab', '--valid-days', '7']);
    const [request] = api.recorded;
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/local-1\/execute-api\//,
    );
    expect(request?.headers['x-amz-date']).toBeDefined();
    expect(request?.headers['x-amz-content-sha256']).toBeDefined();
    const [path, query = ''] = request!.url.split('?');
    const verdict = await verifySigV4(
      { method: request!.method, path: path!, query, headers: request!.headers, body: request!.raw },
      { credentials: CLI_CREDENTIALS, service: 'execute-api' },
    );
    expect(verdict).toEqual({ ok: true, accessKeyId: 'AKIDLOCAL' });
  });

  it('leaves canInvite to the server in create, defaults it to false in create-secure', async () => {
    await cli(['invitations', 'create', 'a']);
    await cli(['invitations', 'create-secure', 'b']);
    await cli(['invitations', 'create-secure', 'c', '--can-invite']);
    expect(api.recorded.map((request) => bodyOf(request).canInvite)).toEqual([undefined, false, true]);
    expect(bodyOf(api.recorded[0])).toEqual({ name: 'a', type: 'read_only' });
  });

  it('accepts yes/no words, bare flags and --no- forms', async () => {
    await cli(['invitations', 'create', 'a', '--transferable', 'yes', '--device-bound=0', '--no-can-invite']);
    expect(bodyOf(api.recorded[0])).toMatchObject({ transferable: true, deviceBound: false, canInvite: false });
  });

  it('refuses a word that is not a boolean, naming the flag, and sends nothing', async () => {
    const { code, stderr } = await cli(['invitations', 'create', 'a', '--device-bound=maybe']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^prism-registry: .*--device-bound.*'maybe'.* \(usage\)\n$/);
    expect(api.recorded).toHaveLength(0);
  });

  it('refuses numbers that are not whole, naming the flag', async () => {
    const { code, stderr } = await cli(['invitations', 'create', 'a', '--valid-days', '1.5']);
    expect(code).toBe(1);
    expect(stderr).toContain('--valid-days');
    expect(api.recorded).toHaveLength(0);
  });

  it('sends the parent, S3 path, owner and idempotency key', async () => {
    await cli([
      'invitations',
      'create',
      'child',
      '--parent-id',
      ID,
      '--s3-config',
      's3://bucket/prefix',
      '--owner-account',
      '123456789012',
      '--owner-profile',
      'lab',
      '--idempotency-key',
      'key-1',
      '--email',
      'child@example.org',
    ]);
    expect(bodyOf(api.recorded[0])).toEqual({
      name: 'child',
      type: 'read_only',
      parentId: ID,
      s3ConfigPath: 's3://bucket/prefix',
      ownerAccount: '123456789012',
      ownerProfile: 'lab',
      email: 'child@example.org',
    });
    expect(api.recorded[0]?.headers['idempotency-key']).toBe('key-1');
  });

  it('asks for delivery with --deliver, and only then', async () => {
    await cli(['invitations', 'create', 'Ada', '--email', 'ada@example.org', '--deliver']);
    await cli(['invitations', 'create-secure', 'Bo', '--email', 'bo@example.org']);
    expect(bodyOf(api.recorded[0])).toMatchObject({ email: 'ada@example.org', deliver: true });
    expect(bodyOf(api.recorded[1])).not.toHaveProperty('deliver');
  });

  it('does not take both --parent-id and --parent-token', async () => {
    const { code } = await cli(['invitations', 'create', 'x', '--parent-id', ID, '--parent-token', TOKEN]);
    expect(code).toBe(1);
    expect(api.recorded).toHaveLength(0);
  });

  it('prints the API answer as JSON with --json', async () => {
    const { stdout } = await cli(['--json', 'invitations', 'create', 'lab']);
    expect(JSON.parse(stdout)).toEqual(issued);
  });
});

describe('invitation references', () => {
  it('resolves a token through POST /invitations/lookup, never in a URL', async () => {
    api.routes = lookupRoute;
    const { code, stdout } = await cli(['invitations', 'get', TOKEN]);
    expect(code).toBe(0);
    expect(api.recorded).toHaveLength(1);
    expect(api.recorded[0]).toMatchObject({ method: 'POST', url: '/invitations/lookup' });
    expect(bodyOf(api.recorded[0])).toEqual({ token: TOKEN });
    expect(stdout).toMatch(/^Invitation 01JD8Z3X4Y5W6V7T8S9R0Q1P2N$/m);
    expect(stdout).not.toContain(TOKEN);
  });

  it('shows the address an invitation carries, in get and as the API gives it in list --json', async () => {
    const withEmail = { ...invitation, email: 'Ana.Lopez@Example.EDU' };
    api.routes = {
      [`GET /invitations/${ID}`]: () => ({ body: { invitation: withEmail } }),
      'GET /invitations/other': () => ({ body: { invitation: invitationViewFixture({ id: 'other' }) } }),
      'GET /invitations': () => ({ body: { invitations: [withEmail, invitationViewFixture({ id: 'other' })] } }),
    };
    expect((await cli(['invitations', 'get', ID])).stdout).toMatch(/^ {2}Email: +Ana\.Lopez@Example\.EDU$/m);
    const listed = JSON.parse((await cli(['--json', 'invitations', 'list'])).stdout);
    expect(listed.invitations.map((each: { email?: string }) => each.email)).toEqual([
      'Ana.Lopez@Example.EDU',
      undefined,
    ]);
    expect((await cli(['invitations', 'get', 'other'])).stdout).not.toContain('Email');
  });

  it('reads an id with GET /invitations/{id}', async () => {
    api.routes = { [`GET /invitations/${ID}`]: () => ({ body: { invitation } }) };
    await cli(['invitations', 'get', ID]);
    expect(api.recorded.map((request) => `${request.method} ${request.url}`)).toEqual([`GET /invitations/${ID}`]);
  });

  it('revokes a device of an invitation given by token', async () => {
    api.routes = { ...lookupRoute, [`DELETE /invitations/${ID}/devices/device-abc`]: () => ({ body: { device } }) };
    const { code, stdout } = await cli(['invitations', 'revoke-device', TOKEN, 'device-abc', '--reason', 'lost it']);
    expect(code).toBe(0);
    expect(api.recorded.map((request) => request.url)).toEqual([
      '/invitations/lookup',
      `/invitations/${ID}/devices/device-abc?reason=lost%20it`,
    ]);
    expect(stdout).toContain('Revoked device device-abc');
  });

  it('revokes an invitation with a reason (no job without --cascade), and rotates it', async () => {
    api.routes = {
      [`POST /invitations/${ID}/revoke`]: () => ({
        body: { invitation, revokedDeviceCount: 2, alreadyRevoked: false },
      }),
      [`POST /invitations/${ID}/rotate`]: () => ({ body: issued }),
    };
    const revoked = await cli(['invitations', 'revoke', ID, '--reason', 'left']);
    expect(revoked.code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({ reason: 'left' });
    expect(revoked.stdout).toBe(`Revoked invitation ${ID} (lab-access) and 2 active device(s).\n`);
    expect(revoked.stderr).toBe('');
    const rotated = await cli(['invitations', 'rotate', ID]);
    expect(bodyOf(api.recorded[1])).toEqual({});
    expect(rotated.stdout).toContain(TOKEN);
  });

  it('sends an invitation given by token: the send route by id, the delivery printed, never a token', async () => {
    const queued = {
      ...invitation,
      delivery: { status: 'queued', kind: 'invitation', at: invitation.createdAt, tokenGeneration: 2 },
    };
    api.routes = {
      ...lookupRoute,
      [`POST /invitations/${ID}/send`]: () => ({ status: 202, body: { invitation: queued } }),
    };
    const sent = await cli(['invitations', 'send', TOKEN]);
    expect(sent.code).toBe(0);
    expect(api.recorded.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'POST /invitations/lookup',
      `POST /invitations/${ID}/send`,
    ]);
    expect(sent.stdout).toContain(
      `Invitation ${ID} got a new token (the old one no longer works); its e-mail is queued.`,
    );
    expect(sent.stdout).not.toContain('inv-');
  });

  it('lists devices with `invitations devices <id|token>` and the `profiles` prefix of the seeds', async () => {
    api.routes = {
      ...lookupRoute,
      [`GET /invitations/${ID}/devices`]: () => ({ body: { invitationId: ID, devices: [device] } }),
    };
    const { code, stdout } = await cli(['profiles', 'invitations', 'devices', TOKEN]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^DEVICE ID +STATUS +HOSTNAME +USERNAME +REGISTERED +LAST SEEN$/m);
    expect(stdout).toMatch(/^device-abc +active +host-1 +ana +2025-01-02T00:00:00Z +2025-01-03T00:00:00Z$/m);
    expect(api.recorded.every((request) => !request.url.includes(TOKEN))).toBe(true);
  });

  it('revoke-all says the invitation is suspended until rotated', async () => {
    api.routes = {
      [`DELETE /invitations/${ID}/devices`]: () => ({
        body: { invitation: { ...invitation, status: 'suspended' }, revokedDevices: [device] },
      }),
    };
    const { stdout } = await cli(['invitations', 'revoke-all', ID]);
    expect(stdout).toContain('Revoked 1 device(s)');
    expect(stdout).toMatch(/suspended.*until it is rotated/s);
  });
});

describe('invitations list', () => {
  it('passes the filters and follows every cursor with --all', async () => {
    const pages: Record<string, unknown> = {
      '': { invitations: [invitation], cursor: 'p2' },
      p2: { invitations: [{ ...invitation, id: 'SECOND' }] },
    };
    api.routes = {
      'GET /invitations': (request) => ({
        body: pages[new URL(request.url, api.endpoint).searchParams.get('cursor') ?? ''],
      }),
    };
    const { stdout } = await cli([
      'invitations',
      'list',
      '--status',
      'active',
      '--name',
      'lab',
      '--limit',
      '1',
      '--all',
    ]);
    expect(api.recorded.map((request) => request.url)).toEqual([
      '/invitations?status=active&name=lab&limit=1',
      '/invitations?status=active&name=lab&limit=1&cursor=p2',
    ]);
    expect(stdout).toMatch(/^ID +NAME +TYPE +STATUS +DEVICES +EXPIRES$/m);
    expect(stdout).toContain('SECOND');
    expect(stdout).not.toContain('--cursor');
  });

  it('asks for the roots alone with --roots, beside the other filters, and refuses it with --parent-id', async () => {
    api.routes = { 'GET /invitations': () => ({ body: { invitations: [invitation] } }) };
    const { code, stdout } = await cli(['invitations', 'list', '--roots', '--status', 'active', '--type', 'admin']);
    expect(code).toBe(0);
    expect(api.recorded.map((request) => request.url)).toEqual(['/invitations?status=active&type=admin&roots=true']);
    expect(stdout).toContain(ID);

    const refused = await cli(['invitations', 'list', '--roots', '--parent-id', ID]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("option '--parent-id <id>' cannot be used with option '--roots'");
    expect(api.recorded).toHaveLength(1);
  });
});

describe('device-manager forms', () => {
  it('lists by token as JSON with --format json', async () => {
    api.routes = {
      ...lookupRoute,
      [`GET /invitations/${ID}/devices`]: () => ({ body: { invitationId: ID, devices: [device] } }),
    };
    const { stdout } = await cli(['devices', 'list', '--token', TOKEN, '--format', 'json']);
    expect(JSON.parse(stdout)).toEqual({ invitationId: ID, devices: [device] });
  });

  it('revokes one device by token', async () => {
    api.routes = { ...lookupRoute, [`DELETE /invitations/${ID}/devices/device-abc`]: () => ({ body: { device } }) };
    const { code } = await cli(['devices', 'revoke', '--token', TOKEN, '--device', 'device-abc']);
    expect(code).toBe(0);
    expect(api.recorded[1]).toMatchObject({ method: 'DELETE', url: `/invitations/${ID}/devices/device-abc` });
  });

  it('refuses revoke-all without --force, saying what it would do', async () => {
    const { code, stderr } = await cli(['devices', 'revoke-all', '--token', TOKEN]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/revokes every device.*suspends.*--force \(confirmation_required\)/);
    expect(api.recorded).toHaveLength(0);
  });

  it('revokes all with --force', async () => {
    api.routes = {
      ...lookupRoute,
      [`DELETE /invitations/${ID}/devices`]: () => ({ body: { invitation, revokedDevices: [] } }),
    };
    const { code } = await cli(['devices', 'revoke-all', '--token', TOKEN, '--force']);
    expect(code).toBe(0);
    expect(api.recorded.map((request) => request.method)).toEqual(['POST', 'DELETE']);
  });

  it('validates through the unsigned registry route: exit 0 when valid, 1 when not', async () => {
    let answer: unknown = { valid: true };
    api.routes = { 'GET /registry/validate': () => ({ body: answer }) };
    const valid = await cli(['devices', 'validate', '--token', TOKEN, '--device', 'device-abc']);
    expect(valid).toMatchObject({ code: 0, stdout: 'valid\n' });
    expect(api.recorded[0]?.url).toBe(`/registry/validate?token=${TOKEN}&device=device-abc`);
    expect(api.recorded[0]?.headers.authorization).toBeUndefined();
    answer = { valid: false, reason: 'Device binding revoked' };
    const invalid = await cli(['devices', 'validate', '--token', TOKEN, '--device', 'device-abc']);
    expect(invalid).toMatchObject({ code: 1, stdout: 'invalid: Device binding revoked\n' });
  });
});

describe('accept-invitation', () => {
  it('posts the encoded invitation and this device, unsigned', async () => {
    api.routes = {
      'POST /accept': () => ({
        body: {
          invitationId: ID,
          profile: { ...invitation, expiresAt: invitation.expiresAt },
          device,
        },
      }),
    };
    const { code, stdout } = await cli([
      'accept-invitation',
      '--encoded',
      issued.encoded,
      '--name',
      'lab',
      '--hostname',
      'host-1',
      '--label',
      'work laptop',
    ]);
    expect(code).toBe(0);
    expect(api.recorded[0]?.headers.authorization).toBeUndefined();
    expect(bodyOf(api.recorded[0])).toMatchObject({
      encoded: issued.encoded,
      name: 'lab',
      device: { hostname: 'host-1', label: 'work laptop', username: expect.any(String) },
    });
    expect(stdout).toContain(`Accepted invitation ${ID} as profile 'lab-access'`);
    expect(stdout).toMatch(/Device: +device-abc registered/);
  });
});

describe('errors', () => {
  it('prints the API error on one line with code, HTTP status and request id', async () => {
    api.routes = {
      'POST /invitations': () => ({
        status: 400,
        body: { error: { code: 'invalid_request', message: 'maxDevices: must be 1-5', requestId: 'r-9' } },
      }),
    };
    const { code, stdout, stderr } = await cli(['invitations', 'create', 'a', '--max-devices', '9']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('prism-registry: maxDevices: must be 1-5 (invalid_request, HTTP 400, request r-9)\n');
  });

  it('reports answers that are not ours, such as API Gateway’s', async () => {
    api.routes = {
      'POST /invitations/lookup': () => ({ status: 403, body: { message: 'Missing Authentication Token' } }),
    };
    const { stderr } = await cli(['invitations', 'get', TOKEN]);
    expect(stderr).toBe('prism-registry: Missing Authentication Token (http_403, HTTP 403)\n');
  });

  it('says the embedded stack is not running when nothing listens on a loopback endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await cli(['--endpoint', `http://127.0.0.1:${port}`, 'invitations', 'list']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/embedded stack is not running .*npm start.*\(stack_not_running\)/);
  });

  it('takes the endpoint from CWS_REGISTRY_API, dropping /registry', async () => {
    api.routes = { 'GET /invitations': () => ({ body: { invitations: [] } }) };
    let stdout = '';
    const code = await run(['invitations', 'list'], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: { PRISM_REGISTRY_HOME: home, CWS_REGISTRY_API: `${api.endpoint}/registry` },
    });
    expect(code).toBe(0);
    expect(stdout).toBe('No invitations.\n');
  });

  it('exits 0 for --help and non-zero for an unknown command', async () => {
    expect((await cli(['--help'])).code).toBe(0);
    const unknown = await cli(['invitations', 'frobnicate']);
    expect(unknown.code).toBe(1);
  });
});
