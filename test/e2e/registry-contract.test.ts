import { readFileSync } from 'node:fs';
import { decodeInvitation } from '../../lambdas/domain/encoding';
import { parseKeyRing } from '../../lambdas/domain/keys';
import { ROUTES } from '../../lambdas/contract/routes';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { stackFiles } from '../../local/stack/paths';
import { stackCli } from '../support/stack-cli';
import { cliJson } from '../support/cli-process';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { call, callWithHost, signedCall, type GatewayCall } from '../support/gateway-client';
import { registerOnRegistry } from '../support/recipient-calls';
import { referenceClient } from '../support/reference-client';

/**
 * The reference client's registry contract (`CWS_REGISTRY_API=<api base>/registry`) over plain HTTP,
 * the device cap under concurrency, and authentication of every administrator route.
 */
jest.setTimeout(120_000);

let stack: StackProcess;
let registry: string;

beforeAll(async () => {
  stack = await startStackProcess();
  registry = `${stack.endpoint}/registry`;
});

afterAll(() => stack?.stop());

const admin = () => stackCli(stack);
const issue = (...flags: string[]) => admin().json<IssuedInvitation>('invitations', 'create', ...flags);

const register = (token: string, deviceId: string, username = 'alice') =>
  registerOnRegistry(registry, token, deviceId, username);

const validate = async (token: string, device: string) =>
  (await (await referenceClient(registry).validate(token, device)).json()) as {
    valid: boolean;
    reason?: string;
  };

describe('the reference client contract under /registry', () => {
  const DEVICE_FIELDS = ['device_id', 'hostname', 'last_seen', 'registered_at', 'status', 'timestamp', 'username'];

  test.each([
    ['CWS_REGISTRY_API=<api>/registry', ''],
    ['CWS_REGISTRY_API=<api>/registry/', '/'],
  ])('the five calls of the reference client, sent as it sends them with %s', async (_label, trailing) => {
    const client = referenceClient(`${registry}${trailing}`);
    const { token } = await issue(`contract${trailing ? '-slash' : ''}`, '--max-devices', '3');

    const registered = await client.register(token, 'device-one');
    expect(registered.status).toBe(200);
    expect(await registered.json()).toMatchObject({ registered: true, device_id: 'device-one', status: 'active' });
    expect((await client.register(token, 'device-two')).status).toBe(200);
    expect((await client.register(token, 'device-one')).status).toBe(200);

    const validation = await client.validate(token, 'device-one');
    expect(validation.status).toBe(200);
    expect(await validation.json()).toEqual({ valid: true });

    const revoked = await client.revoke(token, 'device-one');
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ revoked: true, alreadyRevoked: false, device_id: 'device-one' });
    const again = await client.revoke(token, 'device-one');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ revoked: true, alreadyRevoked: true, status: 'revoked' });
    expect(await (await client.validate(token, 'device-one')).json()).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    expect((await client.revoke(token, 'device-never-registered')).status).toBe(404);

    // Only active devices: the client shows every device listed as registered, and `timestamp` as when.
    const listed = await client.devices(token);
    expect(listed.status).toBe(200);
    const { devices } = (await listed.json()) as { devices: Record<string, string>[] };
    expect(devices.map((device) => device.device_id)).toEqual(['device-two']);
    const [two] = devices;
    expect(Object.keys(two!).sort()).toEqual(DEVICE_FIELDS);
    expect(two).toMatchObject({ hostname: 'host', username: 'alice', status: 'active' });
    expect(two!.timestamp).toBe(two!.registered_at);
    expect(Date.parse(two!.timestamp!)).not.toBeNaN();

    const all = await client.revokeAll(token);
    expect(all.status).toBe(200);
    expect(await all.json()).toMatchObject({ revoked: 1, devices: [{ device_id: 'device-two', status: 'revoked' }] });
    expect(await (await client.validate(token, 'device-two')).json()).toEqual({
      valid: false,
      reason: 'device_revoked',
    });
    expect(await (await client.devices(token)).json()).toEqual({ devices: [] });
    expect((await client.revokeAll(token)).status).toBe(200);
    expect((await client.register(token, 'device-three')).status).toBe(200);
  });

  test.each([
    ['no parameters', '', 'malformed_token'],
    ['empty values', 'token=&device=', 'malformed_token'],
    ['a token that is no token', 'token=not-a-token&device=device-x', 'malformed_token'],
    ['a token of 8 KB', `token=inv-${'A'.repeat(8_000)}&device=device-x`, 'malformed_token'],
    ['no device', `token=inv-${'B'.repeat(43)}`, 'malformed_device_id'],
    ['a device id with a slash', `token=inv-${'B'.repeat(43)}&device=a%2Fb`, 'malformed_device_id'],
    ['a device id with a space', `token=inv-${'B'.repeat(43)}&device=a+b`, 'malformed_device_id'],
    ['a device id of 129 characters', `token=inv-${'B'.repeat(43)}&device=${'d'.repeat(129)}`, 'malformed_device_id'],
    ['an unknown token', `token=inv-${'B'.repeat(43)}&device=device-x`, 'unknown_token'],
    ['parameters it does not know', `token=inv-${'B'.repeat(43)}&device=device-x&debug=1`, 'unknown_token'],
  ])('validation with %s answers 200 and not valid', async (_label, query, reason) => {
    const answer = await fetch(`${registry}/validate?${query}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ valid: false, reason });
  });

  test('a device id that could not be addressed later is refused on every route that takes one', async () => {
    const issued = await issue('device-ids', '--max-devices', '2');
    const client = referenceClient(registry);
    const viaRegistry = await client.register(issued.token, 'has%20space');
    expect(viaRegistry.status).toBe(400);
    expect(await viaRegistry.json()).toMatchObject({ error: { details: { field: 'device_id' } } });
    const viaAccept = await call(stack.endpoint, {
      method: 'POST',
      path: '/accept',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encoded: issued.encoded, device: { deviceId: 'a/b', hostname: 'h', username: 'u' } }),
    });
    expect(viaAccept.status).toBe(400);
    expect(await viaAccept.json()).toMatchObject({ error: { details: { field: 'device.deviceId' } } });
    const viaRevoke = await client.revoke(issued.token, 'a%20b');
    expect(viaRevoke.status).toBe(400);
    expect(await viaRevoke.json()).toMatchObject({ error: { details: { field: 'device' } } });
    const viaAdmin = await signedCall(stack.endpoint, stack.credentials, {
      method: 'DELETE',
      path: `/invitations/${issued.invitation.id}/devices/a%20b`,
    });
    expect(viaAdmin.status).toBe(400);
    expect(await viaAdmin.json()).toMatchObject({ error: { details: { field: 'deviceId' } } });
  });

  test('validation turns false the moment the invitation is revoked', async () => {
    const { token, invitation } = await issue('to-revoke', '--max-devices', '2');
    expect((await register(token, 'device-r')).status).toBe(200);
    expect(await validate(token, 'device-r')).toEqual({ valid: true });
    expect((await admin().run('invitations', 'revoke', invitation.id)).code).toBe(0);
    expect(await validate(token, 'device-r')).toEqual({ valid: false, reason: 'invitation_revoked' });
    const refused = await register(token, 'device-s');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'invitation_revoked' } });
  });

  test('refusals carry distinct errors', async () => {
    expect(await (await register(`inv-${'B'.repeat(43)}`, 'device-x')).json()).toMatchObject({
      error: { code: 'unknown_token' },
    });
    expect(await validate(`inv-${'B'.repeat(43)}`, 'device-x')).toEqual({ valid: false, reason: 'unknown_token' });
    const badBody = await fetch(`${registry}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"device_id":"d"}',
    });
    expect(badBody.status).toBe(400);
    expect(await badBody.json()).toMatchObject({
      error: { code: 'invalid_request', details: { field: 'invitation_token' } },
    });
    const notJson = await fetch(`${registry}/register`, { method: 'POST', body: 'nope' });
    expect(notJson.status).toBe(400);
  });

  test.each([
    ['CWS_REGISTRY_API', ''],
    ['PRISM_REGISTRY_API', ''],
    ['PRISM_REGISTRY_API', '/'],
  ])('the CLI reaches the API through %s=<base>/registry%s', async (variable, trailing) => {
    const { invitation } = await issue('via-registry-url');
    const env = { ...stack.env, [variable]: `${registry}${trailing}` };
    const answer = await cliJson<{ invitation: { id: string } }>(env, 'invitations', 'get', invitation.id);
    expect(answer.invitation.id).toBe(invitation.id);
  });
});

describe('registry_api in encoded invitations', () => {
  const forged = { host: 'registry.attacker.example', proto: 'https' };
  const registryApiOf = (encoded: string) => {
    const ring = parseKeyRing(readFileSync(stackFiles(stack.home).keys, 'utf8'));
    return decodeInvitation(encoded, ring).registry_api;
  };
  const sentWithForgedHost = async (request: GatewayCall, signed: boolean) => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-proto': forged.proto, ...request.headers };
    const answer = await callWithHost(
      stack.endpoint,
      forged.host,
      { ...request, headers },
      signed ? stack.credentials : undefined,
    );
    expect(answer.status).toBeLessThan(300);
    return JSON.parse(answer.body) as IssuedInvitation;
  };

  test('is the stack’s own registry URL, whatever Host and X-Forwarded-Proto a request forges', async () => {
    const body = { name: 'forged-host', type: 'admin', canInvite: true, deviceBound: false };
    const created = await sentWithForgedHost(
      { method: 'POST', path: '/invitations', body: JSON.stringify(body) },
      true,
    );
    const rotated = await sentWithForgedHost(
      { method: 'POST', path: `/invitations/${created.invitation.id}/rotate`, body: '{}' },
      true,
    );
    const child = await sentWithForgedHost(
      {
        method: 'POST',
        path: '/delegate/invitations',
        headers: { authorization: `Invitation ${rotated.token}` },
        body: JSON.stringify({ name: 'forged-host-child', type: 'read_only' }),
      },
      false,
    );
    expect([created, rotated, child].map(({ encoded }) => registryApiOf(encoded))).toEqual([
      registry,
      registry,
      registry,
    ]);
  });
});

describe('Idempotency-Key on POST /invitations', () => {
  test('a repeated create gives the same invitation and token; another body under the key is refused', async () => {
    const key = `onboarding-${Date.now()}`;
    const first = await issue('idempotent', '--max-devices', '2', '--idempotency-key', key);
    const again = await issue('idempotent', '--max-devices', '2', '--idempotency-key', key);
    expect(again.invitation.id).toBe(first.invitation.id);
    expect(again.token).toBe(first.token);
    const changed = await admin().run(
      'invitations',
      'create',
      'idempotent',
      '--max-devices',
      '3',
      '--idempotency-key',
      key,
    );
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain('idempotency_key_reused');
  });
});

describe('the device cap under concurrency', () => {
  test('20 simultaneous registrations against maxDevices 3 leave exactly 3 active devices, every time', async () => {
    for (let round = 0; round < 3; round++) {
      const { token, invitation } = await issue(`race-${round}`, '--max-devices', '3', '--transferable=true');
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) => register(token, `device-race-${n}`, `user-${n}`)),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([...Array(3).fill(200), ...Array(17).fill(409)]);
      for (const refused of answers.filter((answer) => answer.status === 409)) {
        expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
          'Maximum devices reached',
        );
      }
      const devices = await admin().json<{ devices: { status: string }[] }>('invitations', 'devices', invitation.id);
      expect(devices.devices.filter((device) => device.status === 'active')).toHaveLength(3);
    }
  });
});

describe('administrator routes', () => {
  const adminRoutes = ROUTES.filter((route) => route.principal === 'admin').map((route) => ({
    method: route.method,
    path: route.path.replace('{id}', '01JNOSUCHINVITATION0000000').replace('{deviceId}', 'device-x'),
    body: route.method === 'POST' ? '{}' : undefined,
  }));

  test.each(adminRoutes.map((route) => [`${route.method} ${route.path}`, route]))(
    '%s refuses an unsigned request',
    async (_label, route) => {
      const answer = await call(stack.endpoint, route);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { code: 'missing_authentication' } });
    },
  );

  test.each(adminRoutes.map((route) => [`${route.method} ${route.path}`, route]))(
    '%s refuses a badly signed request',
    async (_label, route) => {
      const forged = { ...stack.credentials, secretAccessKey: 'x'.repeat(40) };
      const answer = await signedCall(stack.endpoint, forged, route);
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    },
  );

  test('a correctly signed request passes', async () => {
    const answer = await signedCall(stack.endpoint, stack.credentials, {
      method: 'GET',
      path: '/invitations/01JNOSUCHINVITATION0000000',
    });
    expect(answer.status).toBe(404);
  });
});
