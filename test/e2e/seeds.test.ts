import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_AUDIT_TABLE_NAME, LOCAL_TABLE_NAME } from '../../system/resources';
import type {
  AcceptedInvitation,
  AuditPage,
  InvitationAnswer,
  InvitationDevices,
  IssuedInvitation,
} from '../../lambdas/contract/views';
import { LOCAL_ADMIN_ARN } from '../../local/gateway/principals';
import { type StackProcess, startStackProcess } from '../support/embedded-stack-process';
import { call } from '../support/gateway-client';
import { delegateInvitation } from '../support/recipient-calls';
import { stackCli } from '../support/stack-cli';

/**
 * The CloudWorkstation administrator guide's scenarios, end to end: the embedded stack as its own
 * process, the `prism-registry` CLI as its own process, with nothing configured but the data folder.
 */
jest.setTimeout(120_000);

let stack: StackProcess;
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startStackProcess();
  table = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});

afterAll(async () => {
  table?.destroy();
  await stack?.stop();
});

const run = (...args: string[]) => stackCli(stack).run(...args);
const json = <T>(...args: string[]) => stackCli(stack).json<T>(...args);
const createSecure = (name: string, ...flags: string[]) => stackCli(stack).createSecure(name, ...flags);
const accept = (encoded: string, username: string, deviceId: string) =>
  stackCli(stack).accept(encoded, username, deviceId);

const itemsOf = async (invitationId: string) =>
  (
    await table.send(
      new QueryCommand({
        TableName: LOCAL_TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `INV#${invitationId}` },
      }),
    )
  ).Items ?? [];

describe('creating secure invitations', () => {
  test('create-secure gives an encoded invitation the reference client can read', async () => {
    const issued = await createSecure(
      'lab-access',
      '--type',
      'admin',
      '--can-invite=true',
      '--transferable=false',
      '--device-bound=true',
      '--max-devices=3',
    );
    expect(issued.invitation).toMatchObject({
      name: 'lab-access',
      type: 'admin',
      canInvite: true,
      transferable: false,
      deviceBound: true,
      maxDevices: 3,
      status: 'active',
    });
    expect(issued.token).toMatch(/^inv-[A-Za-z0-9_-]{43}$/);
    expect(issued.encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const payload = JSON.parse(Buffer.from(issued.encoded, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({
      token: issued.token,
      type: 'admin',
      name: 'lab-access',
      can_invite: true,
      transferable: false,
      device_bound: true,
      max_devices: 3,
      parent_token: '',
      id: issued.invitation.id,
      registry_api: `${stack.endpoint}/registry`,
    });
    for (const key of ['owner_profile', 'owner_account', 's3_config_path', 'created', 'expires', 'signature', 'kid']) {
      expect(payload).toHaveProperty(key);
    }
    expect(payload.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(payload.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  test('create-secure does not let the invitation invite unless asked; create lets an admin invite', async () => {
    expect((await createSecure('new-access', '--device-bound=true', '--max-devices=1')).invitation).toMatchObject({
      canInvite: false,
      maxDevices: 1,
    });
    expect(
      (await json<IssuedInvitation>('invitations', 'create', 'boss', '--type', 'admin')).invitation.canInvite,
    ).toBe(true);
  });

  test('a copy with one character changed is refused, and nothing is written', async () => {
    const { invitation, encoded } = await createSecure('tamper-target', '--max-devices=2');
    const before = await itemsOf(invitation.id);
    const position = Math.floor(encoded.length / 2);
    const tampered = encoded.slice(0, position) + (encoded[position] === 'x' ? 'y' : 'x') + encoded.slice(position + 1);
    const result = await accept(tampered, 'alice', 'device-tampered');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/tampered_invitation|rejected/);
    expect(await itemsOf(invitation.id)).toEqual(before);
  });

  test('out-of-range values are refused with the field named, never clamped', async () => {
    const result = await run('invitations', 'create', 'too-many', '--max-devices', '9');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/maxDevices.*1 to 5/);
  });
});

describe('managing devices', () => {
  let issued: IssuedInvitation;
  const ids = ['device-desk', 'device-laptop', 'device-tablet'];

  beforeAll(async () => {
    issued = await createSecure('lab-devices', '--type', 'read_write', '--max-devices=3');
    for (const deviceId of ids) expect((await accept(issued.encoded, 'alice', deviceId)).code).toBe(0);
  });

  test('accepting registers the device and returns the profile', async () => {
    const accepted = await json<AcceptedInvitation>(
      'accept-invitation',
      '--encoded',
      issued.encoded,
      '--name',
      'research',
      '--device-id',
      ids[0]!,
      '--username',
      'alice',
    );
    expect(accepted.profile).toMatchObject({
      name: 'research',
      type: 'read_write',
      deviceBound: true,
      registryApi: `${stack.endpoint}/registry`,
    });
    expect(accepted.device).toMatchObject({ deviceId: ids[0], status: 'active', username: 'alice' });
  });

  test('a fourth device is refused: Maximum devices reached', async () => {
    const result = await accept(issued.encoded, 'alice', 'device-phone');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Maximum devices reached');
  });

  test('another person cannot use a non-transferable invitation', async () => {
    const other = await createSecure('personal', '--max-devices=2');
    expect((await accept(other.encoded, 'alice', 'device-a')).code).toBe(0);
    const result = await accept(other.encoded, 'bob', 'device-b');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Invitation is not transferable');
  });

  test('list devices by token and by id, in the seeds\u2019 forms', async () => {
    const byToken = await json<InvitationDevices>('invitations', 'devices', issued.token);
    const byId = await json<InvitationDevices>('invitations', 'devices', issued.invitation.id);
    expect(byToken.devices.map((d) => d.deviceId).sort()).toEqual([...ids].sort());
    expect(byId).toEqual(byToken);
    const manager = await run('devices', 'list', '--token', issued.token, '--format', 'json');
    expect(manager.code).toBe(0);
    expect(JSON.stringify(JSON.parse(manager.stdout))).toContain('device-laptop');
    const table = await run('invitations', 'devices', issued.token);
    expect(table.stdout).toContain('device-tablet');
    expect(table.stdout).not.toContain(issued.token);
  });

  test('user leaves: revoke one device; it validates false and never comes back', async () => {
    expect((await run('devices', 'validate', '--token', issued.token, '--device', 'device-laptop')).code).toBe(0);
    expect((await run('invitations', 'revoke-device', issued.token, 'device-laptop')).code).toBe(0);
    const validate = await run('devices', 'validate', '--token', issued.token, '--device', 'device-laptop');
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('device_revoked');
    const again = await accept(issued.encoded, 'alice', 'device-laptop');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Device binding revoked');
    expect((await accept(issued.encoded, 'alice', 'device-new-laptop')).code).toBe(0);
  });

  test('security breach: revoke-all suspends until the invitation is rotated', async () => {
    const result = await run('invitations', 'revoke-all', issued.token);
    expect(result.code).toBe(0);
    const answer = await json<InvitationAnswer>('invitations', 'get', issued.invitation.id);
    expect(answer.invitation).toMatchObject({ status: 'suspended', activeDevices: 0 });
    const devices = await json<InvitationDevices>('invitations', 'devices', issued.invitation.id);
    expect(devices.devices.every((d) => d.status === 'revoked')).toBe(true);
    const stolen = await accept(issued.encoded, 'alice', 'device-thief');
    expect(stolen.code).not.toBe(0);
    expect(stolen.stderr).toContain('suspended');

    const rotated = await json<IssuedInvitation>('invitations', 'rotate', issued.invitation.id);
    expect(rotated.token).not.toBe(issued.token);
    expect(rotated.invitation.status).toBe('active');
    const old = await run('invitations', 'get', issued.token);
    expect(old.code).not.toBe(0);
    expect((await accept(issued.encoded, 'alice', 'device-after')).stderr).toMatch(/unknown_token|not recognised/);
    expect((await accept(rotated.encoded, 'alice', 'device-after')).code).toBe(0);
    expect((await accept(rotated.encoded, 'alice', 'device-desk')).stderr).toContain('Device binding revoked');
  });

  test('every change left one audit event with its actor, and the device history is complete', async () => {
    const trail = await json<AuditPage>('audit', '--target', issued.invitation.id, '--all');
    const actions = trail.events.map((event) => event.action).reverse();
    expect(actions[0]).toBe('invitation.created');
    expect(actions.filter((action) => action === 'invitation.suspended')).toHaveLength(1);
    expect(actions.filter((action) => action === 'invitation.rotated')).toHaveLength(1);
    expect(actions.indexOf('invitation.suspended')).toBeLessThan(actions.indexOf('invitation.rotated'));
    expect(actions.filter((action) => action === 'invitation.accepted').length).toBeGreaterThanOrEqual(5);
    const byAdmin = trail.events.filter((event) => event.actor === LOCAL_ADMIN_ARN).map((event) => event.action);
    expect(byAdmin.sort()).toEqual(['invitation.created', 'invitation.rotated', 'invitation.suspended']);

    const laptop = (await json<AuditPage>('audit', '--target', 'device-laptop')).events;
    expect(laptop.map((event) => [event.action, event.actor])).toEqual([
      ['device.revoked', LOCAL_ADMIN_ARN],
      ['device.registered', `invitation:${issued.invitation.id}`],
    ]);
    expect(laptop[1]!.details).toMatchObject({ invitationId: issued.invitation.id, username: 'alice' });
  });

  test('device manager revoke-all needs --force', async () => {
    const target = await createSecure('dm-target', '--max-devices=2');
    expect((await accept(target.encoded, 'carol', 'device-c1')).code).toBe(0);
    const refused = await run('devices', 'revoke-all', '--token', target.token);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--force');
    expect((await run('devices', 'validate', '--token', target.token, '--device', 'device-c1')).code).toBe(0);
    expect((await run('devices', 'revoke-all', '--token', target.token, '--force')).code).toBe(0);
    expect((await run('devices', 'validate', '--token', target.token, '--device', 'device-c1')).code).toBe(1);
  });

  test('an expired invitation accepts nothing and validates nothing, whatever the cleanup did', async () => {
    const target = await createSecure('short-lived', '--max-devices=2', '--valid-days', '1');
    expect((await accept(target.encoded, 'dan', 'device-d1')).code).toBe(0);
    await table.send(
      new UpdateCommand({
        TableName: LOCAL_TABLE_NAME,
        Key: { pk: `INV#${target.invitation.id}`, sk: 'INV' },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': '2026-01-01T00:00:00Z' },
      }),
    );
    const validate = await run('devices', 'validate', '--token', target.token, '--device', 'device-d1');
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('invitation_expired');
    const late = await accept(target.encoded, 'dan', 'device-d2');
    expect(late.code).not.toBe(0);
    expect(late.stderr).toMatch(/expired/);
    expect((await json<InvitationAnswer>('invitations', 'get', target.invitation.id)).invitation.status).toBe(
      'expired',
    );
  });
});

describe('the Org Admin → Department Admins → Team Members hierarchy', () => {
  const delegate = (token: string, device: string, body: unknown) =>
    delegateInvitation(stack.endpoint, token, device, body);

  test('department admins delegate; team members cannot; nobody exceeds the parent', async () => {
    const org = await createSecure('Organization Admin', '--type', 'admin', '--can-invite=true', '--max-devices=3');
    expect((await accept(org.encoded, 'org', 'device-org')).code).toBe(0);

    const deptAnswer = await delegate(org.token, 'device-org', {
      name: 'Engineering-Admin',
      type: 'admin',
      canInvite: true,
      maxDevices: 5,
      validDays: 3650,
    });
    expect(deptAnswer.status).toBe(201);
    const dept = (await deptAnswer.json()) as IssuedInvitation;
    expect(dept.invitation).toMatchObject({
      parentId: org.invitation.id,
      deviceBound: true,
      maxDevices: 3,
      expiresAt: org.invitation.expiresAt,
      createdBy: `invitation:${org.invitation.id}`,
    });
    expect(dept.notes.join(' ')).toMatch(/maxDevices lowered from 5 to 3.*expiresAt cut/);
    expect(JSON.parse(Buffer.from(dept.encoded, 'base64url').toString('utf8')).parent_token).toBe(org.invitation.id);
    expect((await accept(dept.encoded, 'erin', 'device-dept')).code).toBe(0);

    const team = (await (
      await delegate(dept.token, 'device-dept', { name: 'Team-Member-1', type: 'read_write', deviceBound: false })
    ).json()) as IssuedInvitation;
    expect(team.invitation).toMatchObject({ canInvite: false, deviceBound: true, parentId: dept.invitation.id });
    expect((await accept(team.encoded, 'tom', 'device-team')).code).toBe(0);

    const refused = await delegate(team.token, 'device-team', { name: 'Sneaky', type: 'read_only' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { code: 'parent_cannot_invite', details: { rule: 'parent_cannot_invite' } },
    });

    const reader = await createSecure(
      'Reader Lead',
      '--type',
      'read_write',
      '--can-invite=true',
      '--device-bound=false',
    );
    const above = await call(stack.endpoint, {
      method: 'POST',
      path: '/delegate/invitations',
      headers: { authorization: `Invitation ${reader.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Escalation', type: 'admin' }),
    });
    expect(above.status).toBe(403);
    expect(await above.json()).toMatchObject({ error: { code: 'type_exceeds_parent' } });

    const subtree = await call(stack.endpoint, {
      method: 'GET',
      path: '/delegate/invitations',
      headers: { authorization: `Invitation ${org.token}`, 'x-prism-device': 'device-org' },
    });
    expect(((await subtree.json()) as { invitations: { id: string }[] }).invitations.map((i) => i.id)).toEqual([
      dept.invitation.id,
      team.invitation.id,
    ]);

    const revoked = await run('invitations', 'revoke', org.invitation.id, '--cascade', '--reason', 'reorganisation');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(
      `Revoked invitation ${org.invitation.id} (Organization Admin) and 1 active device(s).`,
    );
    expect(revoked.stdout).toMatch(/\(revoke cascade\) completed: 2 processed, 2 succeeded, 0 failed\./);
    expect(revoked.stdout).toMatch(/^ {2}Invitations revoked: +2$/m);
    expect(revoked.stdout).toMatch(/^ {2}Devices revoked: +2$/m);
    for (const id of [dept.invitation.id, team.invitation.id]) {
      expect((await json<InvitationAnswer>('invitations', 'get', id)).invitation.status).toBe('revoked');
    }
    expect((await run('devices', 'validate', '--token', team.token, '--device', 'device-team')).code).toBe(1);
    const again = await run('invitations', 'revoke', org.invitation.id, '--cascade');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Invitation ${org.invitation.id} (Organization Admin) was already revoked.`);
    expect(again.stdout).toMatch(/^ {2}Already revoked: +2$/m);
    expect((await run('invitations', 'revoke', org.invitation.id)).code).toBe(1);
  });

  test('a delegate is refused without its token, without its device, or with a revoked one', async () => {
    const holder = await createSecure('Holder', '--type', 'admin', '--can-invite=true', '--max-devices=2');
    expect((await accept(holder.encoded, 'hal', 'device-hal')).code).toBe(0);
    const body = JSON.stringify({ name: 'x', type: 'read_only' });
    const post = (headers: Record<string, string>) =>
      call(stack.endpoint, {
        method: 'POST',
        path: '/delegate/invitations',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Invitation inv-${'A'.repeat(43)}` })).status).toBe(401);
    expect(await (await post({ authorization: `Invitation ${holder.token}` })).json()).toMatchObject({
      error: { code: 'device_required' },
    });
    expect((await run('invitations', 'revoke-device', holder.token, 'device-hal')).code).toBe(0);
    expect(
      await (await post({ authorization: `Invitation ${holder.token}`, 'x-prism-device': 'device-hal' })).json(),
    ).toMatchObject({ error: { code: 'device_revoked' } });
  });
});

describe('the audit log after every scenario', () => {
  test('holds no token and no encoded invitation, and cannot be changed through the API', async () => {
    const items = await table.send(new ScanCommand({ TableName: LOCAL_AUDIT_TABLE_NAME }));
    expect(items.Items!.length).toBeGreaterThan(40);
    const text = JSON.stringify(items.Items);
    expect(text).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{100,}/);
    const actions = new Set(items.Items!.map((item) => item.action as string));
    for (const action of ['invitation.created', 'invitation.revoked', 'device.registered', 'device.revoked']) {
      expect(actions).toContain(action);
    }
  });
});
