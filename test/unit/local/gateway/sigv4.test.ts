import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import type { LocalCredentials } from '../../../../local/stack/paths';
import { verifySigV4, type ReceivedRequest } from '../../../../local/gateway/sigv4';

const credentials: LocalCredentials = {
  accessKeyId: 'AKIAABCDEFGHIJKLMNOP',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const now = new Date('2025-03-04T05:06:07Z');
const service = 'execute-api';
const verify = (request: ReceivedRequest, at = now) => verifySigV4(request, { credentials, service, now: at });

interface ClientRequest {
  method: string;
  /** Decoded path, as the client means it. */
  path: string;
  query?: Record<string, string>;
  body?: string;
}

const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wirePath = (path: string) => path.split('/').map(rfc3986).join('/');
const wireQuery = (query: Record<string, string>) =>
  Object.entries(query)
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .join('&');

/** Signs the way the CLI does (SDK signer, standard options) and returns the request as the gateway receives it. */
async function signedRequest(
  request: ClientRequest,
  options: { signWith?: LocalCredentials; service?: string; at?: Date } = {},
): Promise<ReceivedRequest> {
  const body = request.body ?? '';
  const signer = new SignatureV4({
    credentials: options.signWith ?? credentials,
    region: (options.signWith ?? credentials).region,
    service: options.service ?? service,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4580,
      path: request.path,
      query: request.query ?? {},
      headers: {
        host: '127.0.0.1:4580',
        'content-type': 'application/json',
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
      body,
    },
    { signingDate: options.at ?? now },
  );
  return {
    method: request.method,
    path: wirePath(request.path),
    query: wireQuery(request.query ?? {}),
    headers: Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: Buffer.from(body),
  };
}

const revokeRequest: ClientRequest = {
  method: 'POST',
  path: '/invitations/inv_01/revoke',
  query: { cascade: 'true' },
  body: '{"reason":"left the lab"}',
};

describe('verifySigV4', () => {
  it('accepts a request signed with the SDK signer', async () => {
    await expect(verify(await signedRequest(revokeRequest))).resolves.toEqual({
      ok: true,
      accessKeyId: credentials.accessKeyId,
    });
  });

  it('accepts paths and query values that need encoding (one encoding of each path segment)', async () => {
    const request = await signedRequest({
      method: 'DELETE',
      path: '/invitations/inv 01/devices/laptop (Ana)@lab',
      query: { reason: 'lost & found', 'b key': 'z*y' },
    });
    expect(request.path).toBe('/invitations/inv%2001/devices/laptop%20%28Ana%29%40lab');
    await expect(verify(request)).resolves.toMatchObject({ ok: true });
  });

  it('accepts a query written with + for spaces (URLSearchParams), signed with its decoded values', async () => {
    const query = { reason: 'lost laptop', note: 'a+b' };
    const request = await signedRequest({ method: 'DELETE', path: '/invitations/inv_01/devices', query });
    request.query = new URLSearchParams(query).toString();
    expect(request.query).toBe('reason=lost+laptop&note=a%2Bb');
    await expect(verify(request)).resolves.toMatchObject({ ok: true });
  });

  it('accepts a request signed a few minutes before it arrives', async () => {
    const request = await signedRequest(revokeRequest, { at: new Date(now.getTime() - 4 * 60 * 1000) });
    await expect(verify(request)).resolves.toMatchObject({ ok: true });
  });

  it('refuses an unsigned request as missing', async () => {
    const { authorization: _, ...headers } = (await signedRequest(revokeRequest)).headers;
    const request = { ...(await signedRequest(revokeRequest)), headers };
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'missing' });
  });

  it('refuses an Authorization header of another scheme as malformed', async () => {
    const request = await signedRequest(revokeRequest);
    request.headers.authorization = 'Invitation tok_123';
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a tampered body by its hash', async () => {
    const request = { ...(await signedRequest(revokeRequest)), body: Buffer.from('{"reason":"other"}') };
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'body_hash_mismatch' });
  });

  it('refuses a tampered body whose declared hash was changed to match', async () => {
    const body = Buffer.from('{"reason":"other"}');
    const request = await signedRequest(revokeRequest);
    request.headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
    await expect(verify({ ...request, body })).resolves.toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a tampered path', async () => {
    const request = { ...(await signedRequest(revokeRequest)), path: '/invitations/inv_02/revoke' };
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a tampered query', async () => {
    const request = { ...(await signedRequest(revokeRequest)), query: 'cascade=false' };
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a tampered signed header', async () => {
    const request = await signedRequest(revokeRequest);
    request.headers.host = 'evil.example:4580';
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a signature made with the wrong secret', async () => {
    const request = await signedRequest(revokeRequest, {
      signWith: { ...credentials, secretAccessKey: 'x'.repeat(40) },
    });
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses an unknown access key', async () => {
    const request = await signedRequest(revokeRequest, {
      signWith: { ...credentials, accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ' },
    });
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'unknown_access_key' });
  });

  it('refuses a date more than 5 minutes off, either way', async () => {
    const early = await signedRequest(revokeRequest, { at: new Date(now.getTime() - 6 * 60 * 1000) });
    const late = await signedRequest(revokeRequest, { at: new Date(now.getTime() + 6 * 60 * 1000) });
    await expect(verify(early)).resolves.toMatchObject({ ok: false, reason: 'date_skew' });
    await expect(verify(late)).resolves.toMatchObject({ ok: false, reason: 'date_skew' });
  });

  it('refuses a signature for another service', async () => {
    const request = await signedRequest(revokeRequest, { service: 's3' });
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'wrong_service' });
  });

  it('refuses a signature for another region', async () => {
    const request = await signedRequest(revokeRequest, { signWith: { ...credentials, region: 'eu-west-1' } });
    await expect(verify(request)).resolves.toMatchObject({ ok: false, reason: 'wrong_region' });
  });
});
