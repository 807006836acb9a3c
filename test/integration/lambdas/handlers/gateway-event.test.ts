import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { handler as authorizerHandler } from '../../../../lambdas/handlers/authorizer';
import { handler as delegateHandler } from '../../../../lambdas/handlers/delegate';
import { handler as manageHandler } from '../../../../lambdas/handlers/invitations-manage';
import { handler as registryHandler } from '../../../../lambdas/handlers/registry';
import { GATEWAY_RESPONSES, gatewayErrorBody } from '../../../../lambdas/contract/gateway-responses';
import { newLocalCredentials } from '../../../../local/stack/credentials';
import { startGateway, type Gateway } from '../../../../local/gateway/gateway';
import { call, signedCall } from '../../../support/gateway-client';

// Stand-ins for the functions, so these tests see exactly what the gateway hands them and answers.
jest.mock('../../../../lambdas/handlers/authorizer', () => ({ handler: jest.fn() }));
jest.mock('../../../../lambdas/handlers/delegate', () => ({ handler: jest.fn() }));
jest.mock('../../../../lambdas/handlers/invitations-manage', () => ({ handler: jest.fn() }));
jest.mock('../../../../lambdas/handlers/registry', () => ({ handler: jest.fn() }));

type MockHandler = jest.Mock<Promise<unknown>, [unknown, Context]>;
const authorizer = authorizerHandler as unknown as MockHandler;
const delegate = delegateHandler as unknown as MockHandler;
const manage = manageHandler as unknown as MockHandler;
const registry = registryHandler as unknown as MockHandler;

const ok = { statusCode: 200, body: '{"ok":true}' };
const eventOf = (handler: MockHandler) => handler.mock.calls[0]![0] as APIGatewayProxyEvent;
const contextOf = (handler: MockHandler) => handler.mock.calls[0]![1];

const credentials = newLocalCredentials();
let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, credentials });
});
afterAll(() => gateway.close());
beforeEach(() => {
  jest.resetAllMocks();
  for (const handler of [delegate, manage, registry]) handler.mockResolvedValue(ok);
});

const allowPolicy = (resource: string, effect: 'Allow' | 'Deny' = 'Allow') => ({
  principalId: 'invitation:inv_1',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
  context: { invitationId: 'inv_1', depth: 2, canInvite: true },
});

describe('the proxy event the gateway builds', () => {
  it('carries resource, path, headers and query as API Gateway REST does', async () => {
    const response = await fetch(`${gateway.url}/registry/validate?token=a%2Bb+c&token=second&device=d%20e&flag`, {
      headers: { 'X-Custom': 'one', 'User-Agent': 'prism-test/1.0', 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(response.status).toBe(200);
    const event = eventOf(registry);
    expect(event).toMatchObject({
      resource: '/registry/validate',
      path: '/registry/validate',
      httpMethod: 'GET',
      queryStringParameters: { token: 'second', device: 'd e', flag: '' },
      multiValueQueryStringParameters: { token: ['a+b c', 'second'], device: ['d e'], flag: [''] },
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({
      'X-Custom': 'one',
      'X-Forwarded-For': '203.0.113.9, 127.0.0.1',
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Port': String(gateway.port),
    });
    expect(event.multiValueHeaders['X-Custom']).toEqual(['one']);
  });

  it('carries a request context naming the local API, stage and caller', async () => {
    const response = await call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token: 't' } });
    const { requestContext } = eventOf(registry);
    expect(requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      stage: 'local',
      httpMethod: 'GET',
      path: '/registry/devices',
      resourcePath: '/registry/devices',
      protocol: 'HTTP/1.1',
      domainName: `127.0.0.1:${gateway.port}`,
      requestId: response.headers.get('x-amzn-requestid'),
      authorizer: null,
      identity: { sourceIp: '127.0.0.1', userArn: null, accessKey: null },
    });
    expect(Math.abs(requestContext.requestTimeEpoch - Date.now())).toBeLessThan(5000);
    expect(requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('gives the function a Lambda context with its own request id, name and remaining time', async () => {
    const response = await call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token: 't' } });
    const context = contextOf(registry);
    expect(context.awsRequestId).toBe(response.headers.get('x-amzn-requestid'));
    expect(context.functionName).toBe('prism-local-registry');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:prism-local-registry');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(9000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
  });

  it('hands a JSON body over as text and any other body base64-encoded', async () => {
    const json = '{"invitation_token":"tok","device_id":"d1"}';
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await call(gateway.url, {
      method: 'POST',
      path: '/registry/register',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    await call(gateway.url, {
      method: 'POST',
      path: '/registry/register',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const [textEvent, binaryEvent] = registry.mock.calls.map(([event]) => event);
    expect(textEvent).toMatchObject({ body: json, isBase64Encoded: false });
    expect(binaryEvent).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('signs administrators in with their SigV4 identity and decodes path parameters, keeping the path as sent', async () => {
    const response = await signedCall(gateway.url, credentials, {
      method: 'DELETE',
      path: '/invitations/inv 01/devices/dev+x',
      query: { reason: 'lost laptop' },
    });
    expect(response.status).toBe(200);
    const event = eventOf(manage);
    expect(event).toMatchObject({
      resource: '/invitations/{id}/devices/{deviceId}',
      path: '/invitations/inv%2001/devices/dev%2Bx',
      pathParameters: { id: 'inv 01', deviceId: 'dev+x' },
      queryStringParameters: { reason: 'lost laptop' },
    });
    expect(event.requestContext.identity).toMatchObject({
      accessKey: credentials.accessKeyId,
      accountId: '000000000000',
      caller: 'prism-local-admin',
      user: 'prism-local-admin',
      userArn: 'arn:aws:iam::000000000000:user/prism-local-admin',
    });
  });

  it('answers a stale signature with 403 expired_credentials, before the function runs', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
    const response = await signedCall(
      gateway.url,
      credentials,
      { method: 'POST', path: '/invitations/inv_1/rotate' },
      tenMinutesAgo,
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'expired_credentials' } });
    expect(manage).not.toHaveBeenCalled();
  });
});

describe('the answer the gateway writes', () => {
  it('merges headers and multi-value headers, decodes base64 bodies and defaults to JSON', async () => {
    registry.mockResolvedValue({
      statusCode: 207,
      headers: { 'x-single': 'one', 'x-both': 'from-headers' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], 'x-both': ['from-multi'] },
      body: Buffer.from('raw bytes').toString('base64'),
      isBase64Encoded: true,
    });
    const response = await call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token: 't' } });
    expect(response.status).toBe(207);
    expect(response.headers.get('x-single')).toBe('one');
    expect(response.headers.get('x-both')).toBe('from-multi');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('raw bytes');
  });

  it('answers 502 internal_error when the function throws, logging neither query string nor body', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    registry.mockRejectedValue(new Error('table is gone'));
    const response = await call(gateway.url, {
      method: 'DELETE',
      path: '/registry/revoke',
      query: { token: 'inv-secret-token-in-query', device: 'd1' },
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: {
        code: 'internal_error',
        message: 'Internal server error',
        requestId: response.headers.get('x-amzn-requestid'),
      },
    });
    const output = logged.mock.calls.flat().map(String).join(' ');
    expect(output).toContain('table is gone');
    expect(output).not.toContain('inv-secret-token-in-query');
    logged.mockRestore();
  });

  it('answers 502 when the function returns something that is not a proxy result', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    registry.mockResolvedValue({ status: 200, body: { not: 'a string' } });
    const response = await call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token: 't' } });
    expect(response.status).toBe(502);
    logged.mockRestore();
  });

  it('refuses a chunked body over 10 MiB with 413', async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${gateway.url}/registry/register`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(registry).not.toHaveBeenCalled();
  });

  it('serves requests concurrently', async () => {
    let release: () => void = () => undefined;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    registry.mockImplementation(async () => {
      if (registry.mock.calls.length === 2) release();
      await bothArrived;
      return ok;
    });
    const responses = await Promise.all(
      [1, 2].map(() => call(gateway.url, { method: 'GET', path: '/registry/devices', query: { token: 't' } })),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
  });
});

describe('delegate routes and the REQUEST authorizer', () => {
  const delegateCall = (authorization = 'Invitation inv-token', headers: Record<string, string> = {}) =>
    call(gateway.url, {
      method: 'POST',
      path: '/delegate/invitations',
      headers: { authorization, 'content-type': 'application/json', ...headers },
      body: '{}',
    });

  it('hands the authorizer a REQUEST event with the method ARN and the caller headers, the device header too', async () => {
    authorizer.mockImplementation(async (event) => allowPolicy((event as APIGatewayRequestAuthorizerEvent).methodArn));
    await delegateCall('Invitation inv-token', { 'x-prism-device': 'device-abc' });
    const event = authorizer.mock.calls[0]![0] as APIGatewayRequestAuthorizerEvent;
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/delegate/invitations',
      resource: '/delegate/invitations',
      httpMethod: 'POST',
      headers: { authorization: 'Invitation inv-token', 'x-prism-device': 'device-abc' },
      requestContext: { apiId: 'local', stage: 'local', resourcePath: '/delegate/invitations' },
    });
    expect(contextOf(authorizer).functionName).toBe('prism-local-authorizer');
  });

  it('passes the allowed principal and its context (as strings) to the function', async () => {
    authorizer.mockResolvedValue(allowPolicy('arn:aws:execute-api:us-east-1:000000000000:local/local/*/delegate/*'));
    const response = await delegateCall();
    expect(response.status).toBe(200);
    expect(eventOf(delegate).requestContext.authorizer).toMatchObject({
      principalId: 'invitation:inv_1',
      invitationId: 'inv_1',
      depth: '2',
      canInvite: 'true',
    });
  });

  it('answers 401 unauthorized when the authorizer throws Unauthorized', async () => {
    authorizer.mockRejectedValue(new Error('Unauthorized'));
    const response = await delegateCall();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(delegate).not.toHaveBeenCalled();
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty Authorization header', ''],
  ])(
    "answers a call with %s API Gateway's 401 without invoking the authorizer (its identity source is missing)",
    async (_case, authorization) => {
      const response = await fetch(`${gateway.url}/delegate/invitations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-prism-device': 'device-abc',
          ...(authorization !== undefined && { authorization }),
        },
        body: '{}',
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe(
        gatewayErrorBody(GATEWAY_RESPONSES.unauthorized, response.headers.get('x-amzn-requestid')!),
      );
      expect(authorizer).not.toHaveBeenCalled();
      expect(delegate).not.toHaveBeenCalled();
    },
  );

  it('answers 403 forbidden for a Deny, and for an Allow of another method', async () => {
    authorizer.mockResolvedValueOnce(allowPolicy('*', 'Deny'));
    authorizer.mockResolvedValueOnce(
      allowPolicy('arn:aws:execute-api:us-east-1:000000000000:local/local/GET/delegate/invitations'),
    );
    const denied = await delegateCall();
    const otherMethod = await delegateCall();
    expect([denied.status, otherMethod.status]).toEqual([403, 403]);
    expect(await denied.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(delegate).not.toHaveBeenCalled();
  });

  it('asks the authorizer on every call, so a revoked token is refused at once', async () => {
    authorizer.mockResolvedValueOnce(allowPolicy('*'));
    authorizer.mockRejectedValueOnce(new Error('Unauthorized'));
    expect((await delegateCall()).status).toBe(200);
    expect((await delegateCall()).status).toBe(401);
    expect(authorizer).toHaveBeenCalledTimes(2);
  });

  it('answers 500 when the authorizer fails otherwise', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    authorizer.mockRejectedValue(new Error('table is gone'));
    const response = await delegateCall();
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: { code: 'internal_error' } });
    logged.mockRestore();
  });
});
