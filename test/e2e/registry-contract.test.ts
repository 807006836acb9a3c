import { readFileSync } from 'node:fs';
import { decodeInvitation } from '../../lambdas/domain/encoding';
import { parseKeyRing } from '../../lambdas/domain/keys';
import { ROUTES } from '../../lambdas/routes';
import type { IssuedInvitation } from '../../lambdas/views';
import { stackFiles } from '../../local/paths';
import { cli, cliJson } from '../support/cli-process';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { call, callWithHost, signedCall, type GatewayCall } from '../support/gateway-client';
import { registerOnRegistry } from '../support/recipient-calls';

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

const issue = (...flags: string[]) => cliJson<IssuedInvitation>(stack.env, 'invitations', 'create', ...flags);

const register = (token: string, deviceId: string, username = 'alice') =>
  registerOnRegistry(registry, token, deviceId, username);

const validate = async (token: string, device: string) =>
  (await (await fetch(`${registry}/validate?${new URLSearchParams({ token, device })}`)).json()) as {
    valid: boolean;
    reason?: string;
  };

describe('the reference client contract under /registry', () => {
  test('register, validate, list, revoke and revoke-all behave as SPEC §4.2', async () => {
    const { token } = await issue('contract', '--max-devices', '3');
    expect((await register(token, 'device-one')).status).toBe(200);
    expect((await register(token, 'device-two')).status).toBe(200);
    expect((await register(token, 'device-one')).status).toBe(200);
    expect(await validate(token, 'device-one')).toEqual({ valid: true });

    const listed = (await (await fetch(`${registry}/devices?${new URLSearchParams({ token })}`)).json()) as {
      devices: Record<string, string>[];
    };
    expect(listed.devices.map((d) => d.device_id).sort()).toEqual(['device-one', 'device-two']);
    for (const device of listed.devices) {
      expect(Object.keys(device).sort()).toEqual([
        'device_id',
        'hostname',
        'last_seen',
        'registered_at',
        'status',
        'username',
      ]);
    }

    const revoke = await fetch(`${registry}/revoke?${new URLSearchParams({ token, device: 'device-one' })}`, {
      method: 'DELETE',
    });
    expect(revoke.status).toBe(200);
    expect(await validate(token, 'device-one')).toEqual({ valid: false, reason: 'device_revoked' });
    expect(await validate(token, 'device-two')).toEqual({ valid: true });

    expect((await fetch(`${registry}/revoke-all?${new URLSearchParams({ token })}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(await validate(token, 'device-two')).toEqual({ valid: false, reason: 'device_revoked' });
    expect((await register(token, 'device-three')).status).toBe(200);
  });

  test('validation turns false the moment the invitation is revoked', async () => {
    const { token, invitation } = await issue('to-revoke', '--max-devices', '2');
    expect((await register(token, 'device-r')).status).toBe(200);
    expect(await validate(token, 'device-r')).toEqual({ valid: true });
    expect((await cli(stack.env, 'invitations', 'revoke', invitation.id)).code).toBe(0);
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

  test('the CLI reaches the API through CWS_REGISTRY_API=<base>/registry', async () => {
    const { invitation } = await issue('via-cws');
    const env = { ...stack.env, CWS_REGISTRY_API: registry };
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
    const changed = await cli(
      stack.env,
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
      const devices = await cliJson<{ devices: { status: string }[] }>(
        stack.env,
        'invitations',
        'devices',
        invitation.id,
      );
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
