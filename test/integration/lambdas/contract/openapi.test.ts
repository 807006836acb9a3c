import { errorEnvelope, openApiDocument } from '../../../../lambdas/contract/openapi';
import { ENV } from '../../../../system/resources';
import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call } from '../../../support/gateway-client';

let gateway: Gateway;
const configured = process.env[ENV.registryApiUrl];

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials: newLocalCredentials() });
});
afterAll(() => gateway.close());
afterEach(() => {
  if (configured === undefined) delete process.env[ENV.registryApiUrl];
  else process.env[ENV.registryApiUrl] = configured;
});

describe('the OpenAPI document on the embedded gateway', () => {
  const generated = JSON.parse(JSON.stringify(openApiDocument())) as object;

  it("answers GET /openapi.json without credentials: the generated document, its server the API's configured URL", async () => {
    process.env[ENV.registryApiUrl] = 'https://registry.example.com/prism/registry';
    const response = await call(gateway.url, {
      method: 'GET',
      path: '/openapi.json',
      headers: { 'x-forwarded-proto': 'gopher' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ...generated, servers: [{ url: 'https://registry.example.com/prism' }] });
  });

  it('names no server where no URL is configured, whatever the request says', async () => {
    delete process.env[ENV.registryApiUrl];
    const response = await call(gateway.url, { method: 'GET', path: '/openapi.json' });
    expect(await response.json()).toEqual(generated);
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
