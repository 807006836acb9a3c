import { errorEnvelope, openApiDocument } from '../../lambdas/openapi';
import { newLocalCredentials } from '../../local/credentials';
import { startGateway, type Gateway } from '../../local/gateway';
import { call } from '../support/gateway-client';

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials: newLocalCredentials() });
});
afterAll(() => gateway.close());

describe('the OpenAPI document on the embedded gateway', () => {
  it('answers GET /openapi.json without credentials: the generated document, served from the URL it was fetched at', async () => {
    const response = await call(gateway.url, { method: 'GET', path: '/openapi.json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const generated = JSON.parse(JSON.stringify(openApiDocument())) as object;
    expect(await response.json()).toEqual({ ...generated, servers: [{ url: gateway.url }] });
  });

  it("describes real error answers: the gateway's own and a function's both fit the Error schema", async () => {
    const refused = await call(gateway.url, { method: 'DELETE', path: '/openapi.json' });
    const invalid = await call(gateway.url, {
      method: 'POST',
      path: '/registry/register',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([refused.status, invalid.status]).toEqual([403, 400]);
    expect(errorEnvelope.parse(await refused.json()).error.code).toBe('missing_authentication');
    expect(errorEnvelope.parse(await invalid.json()).error.details).toMatchObject({ field: 'invitation_token' });
  });
});
