import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call, signedCall } from '../../../support/gateway-client';

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
