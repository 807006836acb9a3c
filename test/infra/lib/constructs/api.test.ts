import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../../../system/functions';
import { GATEWAY_RESPONSES, type GatewayResponseDefinition } from '../../../../lambdas/contract/gateway-responses';
import { ENV } from '../../../../system/resources';
import { ROUTES, routeKey, type PrincipalKind, type RouteDefinition } from '../../../../lambdas/contract/routes';
import { RegistryApi, type RegistryApiProps } from '../../../../lib/constructs/api';
import { requestModelSchema } from '../../../../lib/constructs/request-models';
import { requestParametersOf } from '../../../../lib/constructs/request-parameters';
import { DEFAULT_RECIPIENT_ROUTE_THROTTLE, DEFAULT_STAGE_THROTTLE } from '../../../../lib/constructs/throttling';
import {
  cdkContext,
  logicalId,
  methodsByRoute,
  outputs,
  resourceProperties,
  sharedRegistry,
  synthRegistry,
  type StackIds,
  type MethodProperties,
} from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const methods = methodsByRoute(template);
const authorizerId = ids.api.delegateAuthorizer;

/**
 * `https://<api id>.execute-api.<region>.<url suffix>/v1/registry`: from the API's id, never from its stage, which
 * depends on the methods and so on the functions (synthesis refuses such a cycle: CloudFormation validation).
 */
const DEFAULT_REGISTRY_URL = {
  'Fn::Join': [
    '',
    [
      'https://',
      { Ref: ids.api.restApi },
      '.execute-api.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/v1/registry',
    ],
  ],
} as const;

const routeKeys = (principal: PrincipalKind) =>
  ROUTES.filter((route) => route.principal === principal).map((route) => [routeKey(route)]);

interface ValidatedMethod extends MethodProperties {
  RequestModels?: Record<string, { Ref: string }>;
  RequestParameters?: Record<string, boolean>;
  RequestValidatorId: { Ref: string };
}

const method = (key: string) => {
  const found = methods.get(key);
  if (!found) throw new Error(`No method for ${key}`);
  return found as ValidatedMethod;
};

const routesWhere = (keep: (route: RouteDefinition) => boolean): [string, RouteDefinition][] =>
  (ROUTES as readonly RouteDefinition[]).filter(keep).map((route) => [routeKey(route), route]);

/** The API alone, on functions imported by ARN: quicker than the stack, and with the props the stack does not set. */
function standaloneApi(props: Partial<Omit<RegistryApiProps, 'functions'>> = {}) {
  const apiStack = new Stack(new App({ context: cdkContext() }), 'ApiOnly');
  const functions = Object.fromEntries(
    Object.keys(FUNCTIONS).map((name) => [
      name,
      LambdaFunction.fromFunctionAttributes(apiStack, name, {
        functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${name}`,
        sameEnvironment: true,
      }),
    ]),
  ) as Record<FunctionName, IFunction>;
  const api = new RegistryApi(apiStack, 'Api', { functions, stageName: 'v1', ...props });
  return { api, template: Template.fromStack(apiStack) };
}

interface MethodSetting {
  ResourcePath: string;
  HttpMethod: string;
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
  DataTraceEnabled?: boolean;
  MetricsEnabled?: boolean;
  LoggingLevel?: string;
}

interface StageProperties {
  TracingEnabled?: boolean;
  MethodSettings: MethodSetting[];
  AccessLogSetting: { DestinationArn: unknown; Format: string };
}

const stageOf = (apiTemplate: Template): StageProperties =>
  Object.values(apiTemplate.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as StageProperties;

/** A method setting's resource path: `/registry/validate` is `/~1registry~1validate`. */
const settingPath = (path: string): string => `/${path.replace(/\//g, '~1')}`;

describe('routes', () => {
  test.each(ROUTES.map((route) => [routeKey(route), route.function]))('%s is served by %s', (key, fn) => {
    const { Integration } = method(key);
    expect(Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    expect(JSON.stringify(Integration.Uri)).toContain(`"${ids.functions[fn].function}"`);
  });

  test.each(ROUTES.map((route) => [routeKey(route), route.function]))(
    '%s is served by %s within the 29 s API Gateway waits for an integration',
    (_key, fn) => {
      expect(resourceProperties(template, ids.functions[fn].function).Timeout).toBeLessThanOrEqual(29);
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

  test('the delegate authorizer runs the authorizer function on every request carrying an Authorization header, uncached', () => {
    const authorizer = resourceProperties(template, authorizerId);
    expect(authorizer).toMatchObject({
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: 'method.request.header.Authorization',
    });
    expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(`"${ids.functions.authorizer.function}"`);
  });
});

describe('gateway responses', () => {
  const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map(
    (response) =>
      response.Properties as { ResponseType: string; StatusCode: string; ResponseTemplates: Record<string, string> },
  );

  test.each(Object.values(GATEWAY_RESPONSES).map((response) => [response.type, response]))(
    '%s answers its status in the registry error shape',
    (type, expected: GatewayResponseDefinition) => {
      const response = responses.find((candidate) => candidate.ResponseType === type);
      expect(response?.StatusCode).toBe(String(expected.status));
      expect(JSON.parse(response?.ResponseTemplates['application/json'] ?? 'null')).toEqual({
        error: {
          code: expected.code,
          message: expected.cloudMessage ?? expected.message,
          requestId: '$context.requestId',
        },
      });
    },
  );

  test.each(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'])(
    "%s answers 400 invalid_request, as the handler does, with API Gateway's validation message",
    (type) => {
      const response = responses.find((candidate) => candidate.ResponseType === type);
      expect(response?.StatusCode).toBe('400');
      expect(JSON.parse(response?.ResponseTemplates['application/json'] ?? 'null')).toMatchObject({
        error: { code: 'invalid_request', message: '$context.error.validationErrorString' },
      });
    },
  );
});

describe('request validation', () => {
  const validator = (key: string) => resourceProperties(template, method(key).RequestValidatorId.Ref);

  test.each(routesWhere((route) => route.body !== undefined))(
    '%s checks a JSON body against the model of its schema',
    (key, route) => {
      const { RequestModels } = method(key);
      expect(Object.keys(RequestModels ?? {})).toEqual(['application/json']);
      const model = resourceProperties(template, RequestModels!['application/json']!.Ref);
      expect(model).toMatchObject({ ContentType: 'application/json' });
      expect(model.Schema).toEqual(requestModelSchema(route.body!));
      expect(validator(key)).toMatchObject({ ValidateRequestBody: true });
    },
  );

  test.each(routesWhere((route) => route.acceptsCsv === true))(
    '%s leaves a text/csv body unchecked (no model for it, nor for every type)',
    (key) => {
      const modelled = Object.keys(method(key).RequestModels ?? {});
      expect(modelled).not.toContain('text/csv');
      expect(modelled).not.toContain('$default');
    },
  );

  test.each(routesWhere((route) => route.body === undefined))('%s checks no body', (key) => {
    expect(method(key).RequestModels).toBeUndefined();
    expect(validator(key).ValidateRequestBody).toBeFalsy();
  });

  test.each(routesWhere(() => true))(
    '%s requires its path parameters and the query parameters its handler refuses missing or blank',
    (key, route) => {
      const { RequestParameters = {} } = method(key);
      for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
        expect(RequestParameters[`method.request.path.${name}`]).toBe(true);
      }
      expect(RequestParameters).toEqual(requestParametersOf(route));
      expect(validator(key)).toMatchObject({ ValidateRequestParameters: true });
    },
  );
});

describe('deployment', () => {
  test('deploys the v1 stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
  });

  test('outputs the registry URL: the stage URL on the default endpoint, followed by /registry', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: { 'Fn::Join': [string, unknown[]] } }>;
    const apiUrl = outputs.ApiUrl?.Value['Fn::Join'][1] ?? [];
    expect(outputs.RegistryUrl?.Value).toEqual(DEFAULT_REGISTRY_URL);
    // The same host as the API's own URL, whose stage part is a reference to the stage resource.
    expect(apiUrl.slice(0, 6)).toEqual(DEFAULT_REGISTRY_URL['Fn::Join'][1].slice(0, 6));
  });
});

describe('the registry URL written into encoded invitations', () => {
  const writers = Object.entries(FUNCTIONS)
    .filter(([, definition]) => (definition as FunctionDefinition).writesRegistryUrl)
    .map(([name]) => name as FunctionName);
  const environmentOf = (registry: StackIds, registryTemplate: Template, name: FunctionName) =>
    (
      resourceProperties(registryTemplate, registry.functions[name].function) as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;

  test('is written by every function that issues, rotates, encodes or mails invitations, starts batches or serves the OpenAPI document', () => {
    expect(writers.sort()).toEqual(
      [
        'batchSplitter',
        'batchWatchdog',
        'batches',
        'delegate',
        'invitationsCreate',
        'invitationsManage',
        'jobRunner',
        'mailer',
        'openapi',
      ].sort(),
    );
  });

  test.each(writers)('reaches %s as the default endpoint’s stage URL followed by /registry', (name) => {
    expect(environmentOf(ids, template, name)[ENV.registryApiUrl]).toEqual(DEFAULT_REGISTRY_URL);
  });

  test.each((Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => !writers.includes(name)))(
    'does not reach %s, which writes it nowhere',
    (name) => {
      expect(environmentOf(ids, template, name)).not.toHaveProperty(ENV.registryApiUrl);
    },
  );

  const custom = synthRegistry({ registryApiUrl: 'https://registry.example.com/registry' });

  test.each(writers)('is the context value registryApiUrl in %s, where one is given', (name) => {
    expect(environmentOf(custom.ids, custom.template, name)[ENV.registryApiUrl]).toBe(
      'https://registry.example.com/registry',
    );
  });

  test('is the RegistryUrl output, where a context value is given', () => {
    expect(outputs(custom.template).RegistryUrl?.Value).toBe('https://registry.example.com/registry');
  });
});

describe('stage', () => {
  const stage = stageOf(template);
  const settingFor = (route: RouteDefinition) =>
    stage.MethodSettings.find(
      (setting) => setting.ResourcePath === settingPath(route.path) && setting.HttpMethod === route.method,
    );

  test('throttles the stage as a whole', () => {
    expect(stage.MethodSettings).toContainEqual(
      expect.objectContaining({
        ResourcePath: '/*',
        HttpMethod: '*',
        ThrottlingRateLimit: DEFAULT_STAGE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_STAGE_THROTTLE.burstLimit,
      }),
    );
  });

  test.each(routesWhere((route) => route.principal === 'recipient'))(
    '%s, open to anyone, is throttled tighter than the stage',
    (_key, route) => {
      const setting = settingFor(route);
      expect(setting).toMatchObject({
        ThrottlingRateLimit: DEFAULT_RECIPIENT_ROUTE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: DEFAULT_RECIPIENT_ROUTE_THROTTLE.burstLimit,
      });
      expect(setting!.ThrottlingRateLimit).toBeLessThan(DEFAULT_STAGE_THROTTLE.rateLimit);
      expect(setting!.ThrottlingBurstLimit).toBeLessThan(DEFAULT_STAGE_THROTTLE.burstLimit);
    },
  );

  test.each(routesWhere((route) => route.principal !== 'recipient'))(
    '%s shares the stage-wide limits',
    (_key, route) => {
      expect(settingFor(route)).toBeUndefined();
    },
  );

  test('takes its limits from the props, the defaults filling in the rest', () => {
    const { template: custom } = standaloneApi({
      throttle: { rateLimit: 1200 },
      recipientRouteThrottle: { burstLimit: 20 },
    });
    const { MethodSettings } = stageOf(custom);
    expect(MethodSettings).toContainEqual(
      expect.objectContaining({
        ResourcePath: '/*',
        ThrottlingRateLimit: 1200,
        ThrottlingBurstLimit: DEFAULT_STAGE_THROTTLE.burstLimit,
      }),
    );
    expect(MethodSettings).toContainEqual(
      expect.objectContaining({
        ResourcePath: settingPath('/accept'),
        ThrottlingRateLimit: DEFAULT_RECIPIENT_ROUTE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: 20,
      }),
    );
  });

  test('refuses recipient route limits looser than the stage', () => {
    expect(() => standaloneApi({ throttle: { rateLimit: 40 } })).toThrow(/must not exceed the stage/);
  });

  test("writes access logs to a log group of its own, kept as long as the functions' logs", () => {
    const accessLogsId = ids.api.accessLogs;
    const { LoggingConfig } = resourceProperties(template, ids.functions.registry.function) as {
      LoggingConfig: { LogGroup: { Ref: string } };
    };
    expect(JSON.stringify(stage.AccessLogSetting.DestinationArn)).toContain(`"${accessLogsId}"`);
    expect(resourceProperties(template, accessLogsId).RetentionInDays).toBe(
      resourceProperties(template, LoggingConfig.LogGroup.Ref).RetentionInDays,
    );
  });

  test('logs one JSON object of context fields a request, free of query strings, headers, bodies and validation messages', () => {
    const fields = JSON.parse(stage.AccessLogSetting.Format) as Record<string, string>;
    const variables = Object.values(fields);
    for (const variable of variables) expect(variable).toMatch(/^\$context\.[\w.]+$/);
    expect(variables).toEqual(
      expect.arrayContaining([
        '$context.requestId',
        '$context.identity.sourceIp',
        '$context.httpMethod',
        '$context.resourcePath',
        '$context.status',
        '$context.authorizer.error',
      ]),
    );
    expect(variables.join(' ')).not.toMatch(
      /querystring|header|input|body|requestOverride|validationErrorString|error\.message|apiKey|userAgent|\$context\.path\b/i,
    );
  });

  test('traces requests with X-Ray, never logs bodies, and keeps per-method metrics off', () => {
    expect(stage.TracingEnabled).toBe(true);
    for (const setting of stage.MethodSettings) {
      expect(setting.DataTraceEnabled).not.toBe(true);
      expect(setting.MetricsEnabled).not.toBe(true);
      expect(setting.LoggingLevel ?? 'OFF').toBe('OFF');
    }
  });
});

describe('firewall', () => {
  interface Statement {
    RateBasedStatement?: { Limit: number; AggregateKeyType: string; ScopeDownStatement?: Statement };
    ManagedRuleGroupStatement?: { Name: string };
    OrStatement?: { Statements: Statement[] };
    ByteMatchStatement?: {
      FieldToMatch: unknown;
      PositionalConstraint: string;
      SearchString: string;
      TextTransformations: unknown[];
    };
  }
  interface Rule {
    Name: string;
    Priority: number;
    Action?: { Block?: { CustomResponse?: { ResponseCode: number; CustomResponseBodyKey: string } } };
    Statement: Statement;
    VisibilityConfig: { CloudWatchMetricsEnabled: boolean; SampledRequestsEnabled: boolean };
  }
  interface WebAcl {
    Scope: string;
    DefaultAction: unknown;
    Rules: Rule[];
    VisibilityConfig: Rule['VisibilityConfig'];
    CustomResponseBodies: Record<string, { ContentType: string; Content: string }>;
  }

  const { api, template: guarded } = standaloneApi({
    firewall: { requestsPer5Minutes: 2000, recipientRequestsPer5Minutes: 600 },
  });
  const webAclId = Stack.of(api).getLogicalId(api.webAcl!);
  const webAcl = resourceProperties(guarded, webAclId) as unknown as WebAcl;
  const rule = (name: string) => webAcl.Rules.find((candidate) => candidate.Name === name)!;
  const allRoutes = rule('RequestsPerClientAddress');
  const recipientRoutes = rule('RecipientRequestsPerClientAddress');

  /** Whether AWS WAF's byte match (CONTAINS on the percent-decoded path) would count a request to this path. */
  const scopeDownMatches = (path: string): boolean => {
    const scope = recipientRoutes.Statement.RateBasedStatement!.ScopeDownStatement!;
    const matches = scope.OrStatement?.Statements ?? [scope];
    return matches.some(({ ByteMatchStatement }) =>
      decodeURIComponent(path).includes(ByteMatchStatement!.SearchString),
    );
  };
  const requestPath = (base: string, route: RouteDefinition) =>
    `${base}${route.path.replace(/\{[^}]+\}/g, 'inv_01JABCDEF')}`;

  test('without firewall settings, no WebACL guards the stage', () => {
    const { api: open, template: unguarded } = standaloneApi();
    expect(open.webAcl).toBeUndefined();
    expect(unguarded.findResources('AWS::WAFv2::WebACL')).toEqual({});
    expect(unguarded.findResources('AWS::WAFv2::WebACLAssociation')).toEqual({});
  });

  test('with them, a regional WebACL is associated with this stage', () => {
    expect(webAcl).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const association = resourceProperties(guarded, Stack.of(api).getLogicalId(api.webAclAssociation!));
    expect(association.WebACLArn).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    expect(JSON.stringify(association.ResourceArn)).toContain(`{"Ref":"${logicalId(api.restApi.deploymentStage)}"}`);
  });

  test.each([
    ['RequestsPerClientAddress', 2000],
    ['RecipientRequestsPerClientAddress', 600],
  ])('%s limits each client address over 5 minutes, answering 429 in the registry error shape', (name, limit) => {
    const { Statement, Action } = rule(name);
    expect(Statement.RateBasedStatement).toMatchObject({
      Limit: limit,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    const response = Action?.Block?.CustomResponse;
    expect(response?.ResponseCode).toBe(429);
    const body = webAcl.CustomResponseBodies[response!.CustomResponseBodyKey]!;
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual({ error: { code: 'throttled', message: 'Too many requests' } });
  });

  test('counts all routes in one limit, the recipient routes also in a tighter one evaluated first', () => {
    expect(allRoutes.Statement.RateBasedStatement?.ScopeDownStatement).toBeUndefined();
    expect(recipientRoutes.Priority).toBeLessThan(allRoutes.Priority);
    const scope = recipientRoutes.Statement.RateBasedStatement!.ScopeDownStatement!;
    for (const { ByteMatchStatement } of scope.OrStatement!.Statements) {
      expect(ByteMatchStatement).toMatchObject({
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'CONTAINS',
        TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
      });
    }
  });

  test.each(
    ['/v1', '', '/prism'].flatMap((base) =>
      routesWhere(() => true).map(([key, route]) => [`${base}${route.path}`, key, base, route] as const),
    ),
  )('the tighter limit counts %s (%s) exactly when it is a recipient route', (_path, _key, base, route) => {
    expect(scopeDownMatches(requestPath(base, route))).toBe(route.principal === 'recipient');
  });

  test('the tighter limit also counts a recipient path spelled in percent escapes', () => {
    expect(scopeDownMatches('/v1/%72egistry%2Fvalidate')).toBe(true);
  });

  test('uses only AWS managed rule groups that cannot refuse a legitimate request (no 8 KB body limit)', () => {
    const groups = webAcl.Rules.flatMap((candidate) => candidate.Statement.ManagedRuleGroupStatement?.Name ?? []);
    expect(groups.sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet']);
  });

  test('publishes CloudWatch metrics and keeps no sampled requests (their headers and query strings hold tokens)', () => {
    for (const config of [webAcl.VisibilityConfig, ...webAcl.Rules.map((candidate) => candidate.VisibilityConfig)]) {
      expect(config).toMatchObject({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: false });
    }
  });

  test.each([
    [{ requestsPer5Minutes: 5, recipientRequestsPer5Minutes: 5 }, /requestsPer5Minutes must be a whole number/],
    [{ requestsPer5Minutes: 2000, recipientRequestsPer5Minutes: 1.5 }, /recipientRequestsPer5Minutes must be/],
    [{ requestsPer5Minutes: 3_000_000_000, recipientRequestsPer5Minutes: 600 }, /requestsPer5Minutes must be/],
    [{ requestsPer5Minutes: 600, recipientRequestsPer5Minutes: 2000 }, /must not exceed requestsPer5Minutes/],
  ])('refuses limits AWS WAF does not take, or a recipient limit above the one of all routes (%j)', (limits, error) => {
    expect(() => standaloneApi({ firewall: limits })).toThrow(error);
  });
});

describe('the firewall holds each client address to a small share of the throttles every client shares', () => {
  const limits = Object.fromEntries(
    Object.values(template.findResources('AWS::WAFv2::WebACL'))
      .flatMap(
        (acl) =>
          (acl.Properties as { Rules: { Name: string; Statement: { RateBasedStatement?: { Limit: number } } }[] })
            .Rules,
      )
      .flatMap(({ Name, Statement }) =>
        Statement.RateBasedStatement ? [[Name, Statement.RateBasedStatement.Limit]] : [],
      ),
  ) as Record<string, number>;
  const perSecond = (limit: number | undefined) => (limit ?? Infinity) / 300;
  const stage = stageOf(template);
  const throttleOf = (path: string) => stage.MethodSettings.find((setting) => setting.ResourcePath === path)!;

  test('the default stack guards its stage with the firewall', () => {
    expect(ids.api.webAclAssociation).toBeDefined();
  });

  test('one address may use at most a tenth of the stage throttle', () => {
    expect(perSecond(limits.RequestsPerClientAddress)).toBeLessThanOrEqual(throttleOf('/*').ThrottlingRateLimit! / 10);
  });

  test.each(routesWhere((route) => route.principal === 'recipient'))(
    'one address may use at most a tenth of the throttle of %s',
    (_key, route) => {
      expect(perSecond(limits.RecipientRequestsPerClientAddress)).toBeLessThanOrEqual(
        throttleOf(settingPath(route.path)).ThrottlingRateLimit! / 10,
      );
    },
  );

  test('the RegistryApi construct refuses a firewall that lets one address use up a recipient route', () => {
    expect(() =>
      standaloneApi({
        firewall: { requestsPer5Minutes: 6000, recipientRequestsPer5Minutes: 3000 },
        recipientRouteThrottle: { rateLimit: 50 },
      }),
    ).toThrow(/lets one client address take more than 10% of the 50 a second each recipient route is throttled to/);
  });
});
