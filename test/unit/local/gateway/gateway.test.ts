import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call } from '../../../support/gateway-client';

/** What API Gateway's request validation answers before any function runs, as the embedded gateway answers it. */
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials: newLocalCredentials() });
});
afterAll(() => gateway.close());

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; requestId: string } }).error;

const MALFORMED = '{"encoded":';

describe('embedded gateway request validation', () => {
  test.each([
    ['application/json', { 'content-type': 'application/json' }],
    ['application/json with a charset', { 'content-type': 'application/JSON; charset=utf-8' }],
    // A Buffer, so that fetch adds no type of its own.
    ['no content type', {}],
  ])('refuses malformed JSON sent as %s to a route with a body model: 400 invalid_request', async (_what, headers) => {
    const body = Buffer.from(MALFORMED);
    const response = await call(gateway.url, { method: 'POST', path: '/accept', headers, body });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_request');
    expect(error.requestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  test('hands malformed JSON of another type to the function, as API Gateway has no model for it', async () => {
    const headers = { 'content-type': 'text/plain' };
    const response = await call(gateway.url, { method: 'POST', path: '/accept', headers, body: MALFORMED });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });
});
