import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type GatewayResponse,
  type JsonSchema,
  type Method,
  type MethodOptions,
  type RequestValidator,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '../../system/functions';
import { REGISTRY_PATH } from '../../lambdas/domain/registry-url';
import {
  GATEWAY_RESPONSES,
  REQUEST_MODEL_MEDIA_TYPE,
  gatewayResponseTemplate,
} from '../../lambdas/contract/gateway-responses';
import {
  DELEGATE_CREDENTIALS_HEADER,
  ROUTES,
  routeKey,
  type PrincipalKind,
  type RouteDefinition,
  type RouteKey,
} from '../../lambdas/contract/routes';
import { ACCESS_LOG_FORMAT } from './access-log';
import { ApiFirewall, checkFirewallBitesFirst, type FirewallSettings } from './firewall';
import { LOG_RETENTION } from './log-retention';
import { requestModelSchema } from './request-models';
import { requestParametersOf } from './request-parameters';
import {
  DEFAULT_RECIPIENT_ROUTE_THROTTLE,
  DEFAULT_STAGE_THROTTLE,
  throttlingOptions,
  withDefaults,
  type ThrottleLimits,
} from './throttling';

/** API Gateway's default (and, without a quota increase, longest) Lambda integration timeout. */
const INTEGRATION_TIMEOUT_SECONDS = 29;

export interface RegistryApiProps {
  functions: Readonly<Record<FunctionName, IFunction>>;
  stageName: string;
  /** The stage's throttling, every route together; DEFAULT_STAGE_THROTTLE for what is left out. */
  throttle?: Partial<ThrottleLimits>;
  /** Each recipient route's throttling, at most the stage's; DEFAULT_RECIPIENT_ROUTE_THROTTLE for what is left out. */
  recipientRouteThrottle?: Partial<ThrottleLimits>;
  /**
   * An AWS WAF WebACL in front of the stage, holding each client address to a small share of the throttles; none
   * when absent.
   */
  firewall?: FirewallSettings;
  /**
   * The URL devices register against, where clients reach the API elsewhere than at its default endpoint (a custom
   * domain): `https://registry.example.com/registry`. Else the default endpoint's `<stage URL>/registry`.
   */
  registryUrl?: string;
  /**
   * Create API Gateway's account-wide CloudWatch Logs role (kept when the stack goes), for an account and region
   * where none is set yet: the access logs need one.
   */
  createAccountLogRole?: boolean;
}

/** The REST API, built from the shared route table (ROUTES) and gateway responses (GATEWAY_RESPONSES). */
export class RegistryApi extends Construct {
  public readonly restApi: RestApi;
  public readonly delegateAuthorizer: RequestAuthorizer;
  public readonly methods: ReadonlyMap<RouteKey, Method>;
  public readonly gatewayResponses: readonly GatewayResponse[];
  public readonly accessLogs: LogGroup;
  /** Checks bodies against the route's model and the parameters it requires (routes with a body). */
  public readonly bodyValidator: RequestValidator;
  /** Checks the parameters a route requires (routes without a body). */
  public readonly parameterValidator: RequestValidator;
  public readonly webAcl?: CfnWebACL;
  public readonly webAclAssociation?: CfnWebACLAssociation;
  /**
   * The URL devices register against, the reference client's `CWS_REGISTRY_API`: the one the functions write into
   * encoded invitations.
   */
  public readonly registryUrl: string;

  constructor(
    scope: Construct,
    id: string,
    {
      functions,
      stageName,
      throttle,
      recipientRouteThrottle,
      firewall,
      registryUrl,
      createAccountLogRole = false,
    }: RegistryApiProps,
  ) {
    super(scope, id);
    const stageThrottle = withDefaults(throttle, DEFAULT_STAGE_THROTTLE);
    const recipientThrottle = withDefaults(recipientRouteThrottle, DEFAULT_RECIPIENT_ROUTE_THROTTLE);

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.restApi = new RestApi(this, 'RestApi', {
      // Named after the stack: API Gateway's metrics are keyed by API name, so two deployments must not share one.
      restApiName: Stack.of(this).stackName,
      description: 'Prism invitation registry',
      endpointTypes: [EndpointType.REGIONAL],
      deployOptions: {
        stageName,
        tracingEnabled: true,
        // Execution logs of bodies would hold tokens and encoded invitations.
        dataTraceEnabled: false,
        // Per-method metrics are billed as custom metrics, seven for each method; the alarms and the dashboard
        // read the stage's own Count, 4XXError, 5XXError and Latency, which cost nothing.
        metricsEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        ...throttlingOptions(stageThrottle, recipientThrottle),
      },
      // The account-wide API Gateway logging role is account state: the access logs need it set once in each
      // account and region, or the stage fails to deploy. Created here only when asked, and then kept.
      cloudWatchRole: createAccountLogRole,
      ...(createAccountLogRole && { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
    });
    // RestApi always adds an output with a generated name; the stack outputs the URL as `ApiUrl` instead.
    this.restApi.node.tryRemoveChild('Endpoint');

    // The Authorization header as identity source: a request without it is refused 401 by API Gateway alone, so
    // it costs no authorizer invocation. No caching: every other request runs the authorizer, so a revoked
    // invitation is refused at once. The identity source decides only whether the authorizer runs; its event
    // carries every header, the optional X-Prism-Device included.
    this.delegateAuthorizer = new RequestAuthorizer(this, 'DelegateAuthorizer', {
      handler: functions.authorizer,
      identitySources: [IdentitySource.header(DELEGATE_CREDENTIALS_HEADER)],
      resultsCacheTtl: Duration.seconds(0),
    });

    this.bodyValidator = this.restApi.addRequestValidator('BodyValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // Bodies unchecked: with bodies checked, a route without a model is held to API Gateway's Empty model (an object).
    this.parameterValidator = this.restApi.addRequestValidator('ParameterValidator', {
      validateRequestParameters: true,
    });

    this.methods = new Map(
      ROUTES.map((route) => {
        const { timeoutSeconds } = FUNCTIONS[route.function];
        if (timeoutSeconds > INTEGRATION_TIMEOUT_SECONDS) {
          throw new Error(
            `${routeKey(route)} is served by ${route.function}, whose ${timeoutSeconds} s timeout outlasts ` +
              `API Gateway's ${INTEGRATION_TIMEOUT_SECONDS} s`,
          );
        }
        // Console test invocations would skip the authorizers; without them each route needs one permission.
        const integration = new LambdaIntegration(functions[route.function], { allowTestInvoke: false });
        const method = this.restApi.root.resourceForPath(route.path).addMethod(route.method, integration, {
          ...this.authorizationFor(route.principal),
          ...this.validationFor(route),
        });
        return [routeKey(route), method];
      }),
    );

    this.gatewayResponses = Object.entries(GATEWAY_RESPONSES).map(([name, response]) =>
      this.restApi.addGatewayResponse(name, {
        type: ResponseType.of(response.type),
        statusCode: String(response.status),
        templates: { 'application/json': gatewayResponseTemplate(response) },
      }),
    );

    if (firewall) {
      const { webAcl, association } = new ApiFirewall(this, 'Firewall', {
        stage: this.restApi.deploymentStage,
        ...firewall,
      });
      checkFirewallBitesFirst(firewall, stageThrottle, recipientThrottle);
      this.webAcl = webAcl;
      this.webAclAssociation = association;
    }

    this.registryUrl = registryUrl ?? `${this.defaultEndpointUrl(stageName)}${REGISTRY_PATH}`;
  }

  /**
   * The stage's URL on the API's default endpoint, built from the API's id: `restApi.url` names the stage, which
   * depends on the methods and so on the functions, and the functions are told this URL.
   */
  private defaultEndpointUrl(stageName: string): string {
    const { region, urlSuffix } = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${region}.${urlSuffix}/${stageName}`;
  }

  private authorizationFor(principal: PrincipalKind): MethodOptions {
    switch (principal) {
      case 'admin':
        return { authorizationType: AuthorizationType.IAM };
      case 'delegate':
        return { authorizationType: AuthorizationType.CUSTOM, authorizer: this.delegateAuthorizer };
      case 'recipient':
      case 'public':
        return { authorizationType: AuthorizationType.NONE };
    }
  }

  /**
   * The model of a route's JSON body and the parameters it requires, as API Gateway checks them. Only JSON is
   * modelled: API Gateway leaves a body of any other type (the `text/csv` of `acceptsCsv` routes) unchecked.
   * Routes whose schema is `emptyBody` get a model too: API Gateway checks an empty body as `{}`, as the handler
   * reads it, so a bare `POST .../rotate` passes and one with fields is refused.
   */
  private validationFor(route: RouteDefinition): MethodOptions {
    const requestParameters = requestParametersOf(route);
    if (!route.body) return { requestParameters, requestValidator: this.parameterValidator };
    const model = this.restApi.addModel(`${routeKey(route)} body`, {
      contentType: REQUEST_MODEL_MEDIA_TYPE,
      // zod's draft-04 output; CDK's JsonSchema types the same document with enums.
      schema: requestModelSchema(route.body) as JsonSchema,
    });
    return {
      requestParameters,
      requestValidator: this.bodyValidator,
      requestModels: { [REQUEST_MODEL_MEDIA_TYPE]: model },
    };
  }
}
