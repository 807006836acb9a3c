import { config } from '../../../../lambdas/config';
import type { AcceptedInvitation, InvitationAnswer, IssuedInvitation } from '../../../../lambdas/contract/views';
import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call, signedCall } from '../../../support/gateway-client';
import { scanTable } from '../../../support/table-scan';

const credentials = newLocalCredentials();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials });
});
afterAll(() => gateway.close());

const errorOf = async (response: Response) => {
  const { error } = (await response.json()) as { error: { code: string; message: string; requestId: string } };
  expect(error.requestId).toBe(response.headers.get('x-amzn-requestid'));
  return error;
};

describe('embedded gateway with the real functions', () => {
  it('listens on the port the OS picked, on loopback', () => {
    expect(gateway.port).toBeGreaterThan(0);
    expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}`);
  });

  it('answers GET /health through the health function', async () => {
    const response = await call(gateway.url, { method: 'GET', path: '/health' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses an unsigned administrator request as missing authentication', async () => {
    const response = await call(gateway.url, { method: 'GET', path: '/invitations/inv_1' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('missing_authentication');
  });

  it('refuses a request signed with the wrong secret as an invalid signature', async () => {
    const wrongSecret = { ...credentials, secretAccessKey: 'x'.repeat(40) };
    const response = await signedCall(gateway.url, wrongSecret, { method: 'GET', path: '/invitations/inv_1' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('invalid_signature');
  });

  it('refuses a request signed with another access key as an invalid signature', async () => {
    const response = await signedCall(gateway.url, newLocalCredentials(), { method: 'GET', path: '/invitations' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('invalid_signature');
  });

  it('answers an unknown route, and a known path with another method, with 403 like API Gateway', async () => {
    const unknown = await signedCall(gateway.url, credentials, { method: 'GET', path: '/nowhere' });
    const wrongMethod = await call(gateway.url, { method: 'DELETE', path: '/health' });
    expect([unknown.status, wrongMethod.status]).toEqual([403, 403]);
    expect((await errorOf(unknown)).code).toBe('missing_authentication');
    expect((await errorOf(wrongMethod)).code).toBe('missing_authentication');
  });

  it('lets signed administrator requests create and read an invitation, as the local administrator', async () => {
    const created = await signedCall(gateway.url, credentials, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gateway-test', type: 'read_only' }),
    });
    expect(created.status).toBe(201);
    const { invitation } = (await created.json()) as { invitation: { id: string; createdBy: string } };
    expect(invitation.createdBy).toBe('arn:aws:iam::000000000000:user/prism-local-admin');

    const read = await signedCall(gateway.url, credentials, { method: 'GET', path: `/invitations/${invitation.id}` });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ invitation: { id: invitation.id, name: 'gateway-test' } });
  });

  it('passes a signed request for an unknown invitation to the function, which answers 404', async () => {
    const response = await signedCall(gateway.url, credentials, { method: 'GET', path: '/invitations/inv_missing' });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('runs the real authorizer for delegate routes: a current token passes, another is refused with 401', async () => {
    const created = await signedCall(gateway.url, credentials, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gateway-delegate', type: 'admin', canInvite: true, deviceBound: false }),
    });
    const { token } = (await created.json()) as { token: string };

    const allowed = await call(gateway.url, {
      method: 'GET',
      path: '/delegate/invitations',
      headers: { authorization: `Invitation ${token}` },
    });
    const refused = await call(gateway.url, {
      method: 'GET',
      path: '/delegate/invitations',
      headers: { authorization: 'Invitation not-a-token' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ invitations: [] });
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).code).toBe('unauthorized');
  });

  it('refuses a body over 10 MiB with 413, before any authentication', async () => {
    const response = await call(gateway.url, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('request_too_large');
  });

  it('accepts a body of exactly 10 MiB (the function then judges it)', async () => {
    const response = await call(gateway.url, {
      method: 'POST',
      path: '/registry/register',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024, 0x20),
    });
    expect(response.status).toBe(400);
  });
});

/** Every item of the audit table, as stored: what no address may reach, whatever the API shows of it. */
const auditTableText = async () => JSON.stringify(await scanTable(config.auditTableName()));

describe('the recipient address through the real functions (SPEC §1.1, §4.2, §4.5)', () => {
  const run = Date.now().toString(36);
  const adminEmail = `Ana.Lopez+${run}@Example.EDU`;
  const delegateEmail = `bo.${run}@example.org`;
  const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const create = (body: unknown) =>
    signedCall(gateway.url, credentials, { method: 'POST', path: '/invitations', ...json(body) });

  it('is stored and shown to administrators and to the delegate that set it; never encoded, accepted or audited', async () => {
    const created = await create({ name: 'email-admin', type: 'admin', deviceBound: false, email: ` ${adminEmail} ` });
    expect(created.status).toBe(201);
    const parent = (await created.json()) as IssuedInvitation;
    expect(parent.invitation.email).toBe(adminEmail);
    expect(Buffer.from(parent.encoded, 'base64url').toString('utf8')).not.toContain(run);

    const read = await signedCall(gateway.url, credentials, {
      method: 'GET',
      path: `/invitations/${parent.invitation.id}`,
    });
    expect(((await read.json()) as InvitationAnswer).invitation.email).toBe(adminEmail);
    const looked = await signedCall(gateway.url, credentials, {
      method: 'POST',
      path: '/invitations/lookup',
      ...json({ token: parent.token }),
    });
    expect(((await looked.json()) as InvitationAnswer).invitation.email).toBe(adminEmail);

    const delegated = await call(gateway.url, {
      method: 'POST',
      path: '/delegate/invitations',
      headers: { 'content-type': 'application/json', authorization: `Invitation ${parent.token}` },
      body: JSON.stringify({ name: 'email-child', type: 'read_only', deviceBound: false, email: delegateEmail }),
    });
    expect(delegated.status).toBe(201);
    const child = (await delegated.json()) as IssuedInvitation;
    expect(child.invitation.email).toBe(delegateEmail);

    const accepted = await call(gateway.url, { method: 'POST', path: '/accept', ...json({ encoded: child.encoded }) });
    expect(accepted.status).toBe(200);
    const answer = (await accepted.json()) as AcceptedInvitation;
    expect(answer.invitationId).toBe(child.invitation.id);
    expect(JSON.stringify(answer)).not.toContain(run);

    const audit = await auditTableText();
    expect(audit).toContain(parent.invitation.id);
    expect(audit).toContain(child.invitation.id);
    expect(audit).not.toContain(run);
  });

  it.each([
    ['not an address', 'ana', 'email: must look like local@domain.tld'],
    ['two addresses', 'a@example.org; b@example.org', 'email: must be a single address (no commas or semicolons)'],
    [
      'a display name',
      'Ana <ana@example.org>',
      'email: must be the address alone, without a display name, quotes or <>',
    ],
    ['a number', 42, 'email: Invalid input: expected string, received number'],
  ])('%s is a 400 naming email, and creates nothing', async (_what, email, message) => {
    const response = await create({ name: `email-refused-${run}`, type: 'read_only', email });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; message: string; details: { field: string } };
    };
    expect(error).toMatchObject({ code: 'invalid_request', message, details: { field: 'email' } });
    const listed = await signedCall(gateway.url, credentials, {
      method: 'GET',
      path: '/invitations',
      query: { name: `email-refused-${run}` },
    });
    expect(await listed.json()).toMatchObject({ invitations: [] });
  });
});

describe('the roots of the delegation trees through the real functions (GET /invitations?roots=true)', () => {
  const run = Date.now().toString(36);
  const list = (query: Record<string, string>) =>
    signedCall(gateway.url, credentials, { method: 'GET', path: '/invitations', query });
  const create = async (body: object) => {
    const response = await signedCall(gateway.url, credentials, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as IssuedInvitation).invitation;
  };

  it('lists only invitations without a parent, with the other filters', async () => {
    const root = await create({ name: `roots-${run}-a`, type: 'admin' });
    await create({ name: `roots-${run}-b`, type: 'read_only', parentId: root.id });
    const other = await create({ name: `roots-${run}-c`, type: 'read_only' });
    /** Every page: a scan reads a bounded number of table pages a request. */
    const ids = async (query: Record<string, string>) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await list({ name: `roots-${run}-`, ...query, ...(cursor && { cursor }) });
        expect(response.status).toBe(200);
        const page = (await response.json()) as { invitations: { id: string }[]; cursor?: string };
        seen.push(...page.invitations.map(({ id }) => id));
        cursor = page.cursor;
      } while (cursor);
      return seen.sort();
    };
    expect(await ids({ roots: 'true' })).toEqual([root.id, other.id].sort());
    expect(await ids({ roots: 'true', type: 'read_only', status: 'active' })).toEqual([other.id]);
    expect(await ids({ roots: 'false' })).toHaveLength(3);
  });

  it.each([
    [{ roots: 'yes' }, 'roots: must be true or false'],
    [{ roots: 'true', parentId: 'P1' }, 'roots: cannot be combined with parentId: a root invitation has no parent'],
  ])('%j is a 400 naming roots', async (query, message) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_request', message, details: { field: 'roots' } },
    });
  });
});
