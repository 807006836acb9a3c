import { createHash } from 'node:crypto';
import { createSigner } from '../../../cli/signing';

const identity = { region: 'local-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' } };
const date = new Date('2025-03-04T05:06:07Z');
const request = (body = '{"name":"lab"}') => ({
  method: 'POST',
  url: new URL('http://127.0.0.1:4580/invitations'),
  headers: { 'content-type': 'application/json' },
  body,
});

describe('createSigner', () => {
  const sign = createSigner(identity);

  it('adds host, x-amz-date, x-amz-content-sha256 and an execute-api SigV4 authorization', async () => {
    const headers = await sign(request(), date);
    expect(headers.host).toBe('127.0.0.1:4580');
    expect(headers['x-amz-date']).toBe('20250304T050607Z');
    expect(headers['x-amz-content-sha256']).toBe(createHash('sha256').update('{"name":"lab"}').digest('hex'));
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/20250304\/local-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('is deterministic for the same inputs and date, and covers the body', async () => {
    const first = await sign(request(), date);
    expect((await sign(request(), date)).authorization).toBe(first.authorization);
    expect((await sign(request('{"name":"other"}'), date)).authorization).not.toBe(first.authorization);
    expect((await createSigner({ ...identity, region: 'us-east-1' })(request(), date)).authorization).not.toBe(
      first.authorization,
    );
  });
});
