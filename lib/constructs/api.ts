import { Duration } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type GatewayResponse,
  type Method,
  type MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions';
import { GATEWAY_RESPONSES, gatewayErrorBody } from '../../lambdas/gateway-responses';
import { ROUTES, routeKey, type PrincipalKind, type RouteKey } from '../../lambdas/routes';

/** API Gateway's default (and, without a quota increase, longest) Lambda integration timeout. */
const INTEGRATION_TIMEOUT_SECONDS = 29;

export interface RegistryApiProps {
  functions: Readonly<Record<FunctionName, IFunction>>;
  stageName: string;
}

/** The REST API, built from the shared route table (ROUTES) and gateway responses (GATEWAY_RESPONSES). */
export class RegistryApi extends Construct {
  public readonly restApi: RestApi;
  public readonly delegateAuthorizer: RequestAuthorizer;
  public readonly methods: ReadonlyMap<RouteKey, Method>;
  public readonly gatewayResponses: readonly GatewayResponse[];
  /** Base URL of the reference client's registry contract (`CWS_REGISTRY_API`). */
  public readonly registryUrl: string;

  constructor(scope: Construct, id: string, { functions, stageName }: RegistryApiProps) {
    super(scope, id);

    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Prism invitation registry',
      endpointTypes: [EndpointType.REGIONAL],
      deployOptions: { stageName },
      // The account-wide API Gateway logging role is account state, not this stack's to own.
      cloudWatchRole: false,
    });
    // RestApi always adds an output with a generated name; the stack outputs the URL as `ApiUrl` instead.
    this.restApi.node.tryRemoveChild('Endpoint');

    // No identity sources and no caching: the authorizer runs on every request, so a revoked invitation
    // is refused at once and the optional device header still reaches it.
    this.delegateAuthorizer = new RequestAuthorizer(this, 'DelegateAuthorizer', {
      handler: functions.authorizer,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
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
        const method = this.restApi.root
          .resourceForPath(route.path)
          .addMethod(route.method, integration, this.authorizationFor(route.principal));
        return [routeKey(route), method];
      }),
    );

    this.gatewayResponses = Object.entries(GATEWAY_RESPONSES).map(([name, response]) =>
      this.restApi.addGatewayResponse(name, {
        type: ResponseType.of(response.type),
        statusCode: String(response.status),
        templates: { 'application/json': gatewayErrorBody(response, '$context.requestId') },
      }),
    );

    // Not handed to the functions: the handlers derive the public registry URL from each request.
    this.registryUrl = `${this.restApi.url}registry`;
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
}
