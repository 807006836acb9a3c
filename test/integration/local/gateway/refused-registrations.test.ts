import { config } from '../../../../lambdas/config';
import { AuditLog } from '../../../../lambdas/adapters/audit-log';
import type { AuditPage, IssuedInvitation } from '../../../../lambdas/contract/views';
import { logger } from '../../../../lambdas/handlers/logger';
import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call, signedCall } from '../../../support/gateway-client';
import { scanTable } from '../../../support/table-scan';

/**
 * Registrations refused for an invitation that exists are in the audit log as `device.refused` (docs/SPEC.md §4.5),
 * through the real functions and DynamoDB Local: `GET /audit?action=device.refused` shows them with the code the
 * caller got; a token that names no invitation records nothing, and a refusal whose event cannot be written is
 * still answered as the refusal it is.
 */
const credentials = newLocalCredentials();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials });
});
afterAll(() => gateway.close());
afterEach(() => jest.restoreAllMocks());

const run = Date.now().toString(36);
const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function create(body: object): Promise<IssuedInvitation> {
  const response = await signedCall(gateway.url, credentials, { method: 'POST', path: '/invitations', ...json(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as IssuedInvitation;
}

const register = (token: string, deviceId: string) =>
  call(gateway.url, {
    method: 'POST',
    path: '/registry/register',
    ...json({ invitation_token: token, device_id: deviceId, hostname: 'host', username: 'alice' }),
  });

const accept = (encoded: string, deviceId: string) =>
  call(gateway.url, {
    method: 'POST',
    path: '/accept',
    ...json({ encoded, device: { deviceId, hostname: 'host', username: 'alice' } }),
  });

/** The device.refused events an administrator reads, optionally of one invitation, oldest first. */
async function refusals(query: Record<string, string> = {}) {
  const response = await signedCall(gateway.url, credentials, {
    method: 'GET',
    path: '/audit',
    query: { action: 'device.refused', limit: '100', ...query },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as AuditPage).events.reverse();
}

test('registering and accepting past the cap: each refusal is one device.refused event on the invitation', async () => {
  const { invitation, token, encoded } = await create({ name: `refusals-${run}`, type: 'read_only', maxDevices: 1 });
  expect((await register(token, `device-${run}-1`)).status).toBe(200);
  const refused = await register(token, `device-${run}-2`);
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ error: { code: 'max_devices_reached' } });
  expect((await accept(encoded, `device-${run}-3`)).status).toBe(409);

  const events = await refusals({ targetId: invitation.id });
  expect(events.map(({ action, actor, targetId, details }) => ({ action, actor, targetId, details }))).toEqual(
    [2, 3].map((n) => ({
      action: 'device.refused',
      actor: `invitation:${invitation.id}`,
      targetId: invitation.id,
      details: { reason: 'max_devices_reached', deviceId: `device-${run}-${n}` },
    })),
  );
  expect(events.every(({ requestId, sourceIp }) => !!requestId && sourceIp === '127.0.0.1')).toBe(true);
  expect(JSON.stringify(await scanTable(config.auditTableName()))).not.toContain(token);
});

test('10 registrations racing past maxDevices 3: seven 409s, and one event for each of them', async () => {
  const { invitation, token } = await create({
    name: `race-${run}`,
    type: 'read_only',
    maxDevices: 3,
    transferable: true,
  });
  const deviceIds = Array.from({ length: 10 }, (_, n) => `device-${run}-race-${n}`);
  const statuses = await Promise.all(deviceIds.map(async (deviceId) => (await register(token, deviceId)).status));
  expect(statuses.filter((status) => status === 200)).toHaveLength(3);
  const refused = deviceIds.filter((_, n) => statuses[n] === 409);
  expect(refused).toHaveLength(7);
  const events = await refusals({ targetId: invitation.id });
  expect(events.map(({ details }) => details.deviceId).sort()).toEqual(refused.sort());
  expect(events.every(({ details }) => details.reason === 'max_devices_reached')).toBe(true);
});

test('a tampered or unknown token records nothing', async () => {
  const { token } = await create({ name: `tampered-${run}`, type: 'read_only' });
  const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  const since = new Date(Date.now() - 1000).toISOString();
  const before = await refusals({ since });
  for (const guess of [tampered, `inv-${'Q'.repeat(43)}`]) {
    const response = await register(guess, `device-${run}-tampered`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown_token' } });
  }
  expect(await refusals({ since })).toEqual(before);
  expect(JSON.stringify(await scanTable(config.auditTableName()))).not.toContain(`device-${run}-tampered`);
});

test('an event the audit log refuses is logged without the token, and the caller still gets its 409', async () => {
  const { invitation, token, encoded } = await create({ name: `unrecorded-${run}`, type: 'read_only', maxDevices: 1 });
  expect((await register(token, `device-${run}-kept`)).status).toBe(200);
  jest.spyOn(AuditLog.prototype, 'append').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
  const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);

  const refused = await register(token, `device-${run}-unrecorded`);
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ error: { code: 'max_devices_reached' } });
  expect((await accept(encoded, `device-${run}-unrecorded-too`)).status).toBe(409);

  // One for the registration, one for the acceptance.
  const report = [
    'Refused registration not recorded in the audit log; the caller got its refusal',
    { invitationId: invitation.id, reason: 'max_devices_reached', error: expect.any(Error) },
  ];
  expect(logged.mock.calls).toEqual([report, report]);
  expect(JSON.stringify(logged.mock.calls)).not.toContain(token);
  jest.restoreAllMocks();
  expect(await refusals({ targetId: invitation.id })).toEqual([]);
});
