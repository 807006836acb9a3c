import { GATEWAY_RESPONSES } from '../../lambdas/gateway-responses';
import { ROUTES, routeKey, type PrincipalKind } from '../../lambdas/routes';
import { logicalId, methodsByRoute, resourceProperties, synthRegistry } from './registry-template';

const { stack, template } = synthRegistry();
const methods = methodsByRoute(template);
const authorizerId = logicalId(stack.api.delegateAuthorizer);

const routeKeys = (principal: PrincipalKind) =>
  ROUTES.filter((route) => route.principal === principal).map((route) => [routeKey(route)]);
const method = (key: string) => {
  const found = methods.get(key);
  if (!found) throw new Error(`No method for ${key}`);
  return found;
};

describe('routes', () => {
  test.each(ROUTES.map((route) => [routeKey(route), route.function]))('%s is served by %s', (key, fn) => {
    const { Integration } = method(key);
    expect(Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    expect(JSON.stringify(Integration.Uri)).toContain(`"${logicalId(stack.functions.byName[fn])}"`);
  });

  test.each(ROUTES.map((route) => [routeKey(route), route.function]))(
    '%s is served by %s within the 29 s API Gateway waits for an integration',
    (_key, fn) => {
      expect(resourceProperties(template, logicalId(stack.functions.byName[fn])).Timeout).toBeLessThanOrEqual(29);
    },
  );

  test('no method exists beyond the route table', () => {
    expect([...methods.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
  });
});

describe('authorization', () => {
  test.each(routeKeys('admin'))('%s requires a SigV4-signed IAM caller', (key) => {
    expect(method(key).AuthorizationType).toBe('AWS_IAM');
  });

  test.each(routeKeys('delegate'))('%s requires the delegate authorizer', (key) => {
    expect(method(key)).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
  });

  test.each([...routeKeys('recipient'), ...routeKeys('public')])('%s is open (the handler checks the token)', (key) => {
    expect(method(key).AuthorizationType).toBe('NONE');
  });

  test('the delegate authorizer runs the authorizer function on every request, with no cache and no required header', () => {
    const authorizer = resourceProperties(template, authorizerId);
    expect(authorizer).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0, IdentitySource: '' });
    expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(`"${logicalId(stack.functions.byName.authorizer)}"`);
  });
});

describe('gateway responses', () => {
  const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
    (response) =>
      response.Properties as { ResponseType: string; StatusCode: string; ResponseTemplates: Record<string, string> },
  );

  test.each(Object.values(GATEWAY_RESPONSES).map((response) => [response.type, response]))(
    '%s answers its status in the registry error shape',
    (type, expected) => {
      const response = responses.find((candidate) => candidate.ResponseType === type);
      expect(response?.StatusCode).toBe(String(expected.status));
      expect(JSON.parse(response?.ResponseTemplates['application/json'] ?? 'null')).toEqual({
        error: { code: expected.code, message: expected.message, requestId: '$context.requestId' },
      });
    },
  );
});

describe('deployment', () => {
  test('deploys the v1 stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
  });

  test('outputs the registry URL as the API URL followed by "registry"', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: { 'Fn::Join': [string, unknown[]] } }>;
    const apiUrl = outputs.ApiUrl?.Value['Fn::Join'][1] ?? [];
    const registryUrl = outputs.RegistryUrl?.Value['Fn::Join'][1] ?? [];
    expect(apiUrl.at(-1)).toBe('/');
    expect(registryUrl).toEqual([...apiUrl.slice(0, -1), '/registry']);
  });
});
