import type {
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../emulators/local-aws';
import { isTextMediaType } from './media-types';
import { parseQueryString } from './query-string';
import type { RouteMatch } from '../../lambdas/contract/route-matcher';
import type { ReceivedRequest } from './sigv4';

/** What the gateway knows about one request when it builds the function's event. */
export interface GatewayRequest extends ReceivedRequest {
  /** Header names and values in the order and case they were sent. */
  rawHeaders: string[];
  sourceIp: string;
  /** The port the gateway listens on. */
  port: number;
  requestId: string;
  receivedAt: Date;
}

export const LOCAL_API_ID = 'local';
export const LOCAL_STAGE = 'local';

type ValueMaps = { single: Record<string, string>; multi: Record<string, string[]> };

/** API Gateway's pair of maps: the last value of each name, and all of them. */
function valueMaps(pairs: [string, string][]): ValueMaps {
  const maps: ValueMaps = { single: {}, multi: {} };
  for (const [name, value] of pairs) {
    maps.single[name] = value;
    (maps.multi[name] ??= []).push(value);
  }
  return maps;
}

const nullWhenEmpty = <T extends object>(map: T): T | null => (Object.keys(map).length > 0 ? map : null);

function rawHeaderPairs(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** The client's headers plus the forwarding headers API Gateway adds. */
function eventHeaders(request: GatewayRequest): ValueMaps {
  const sent = rawHeaderPairs(request.rawHeaders);
  const forwardedFor = sent.find(([name]) => name.toLowerCase() === 'x-forwarded-for')?.[1];
  const forwarding = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port']);
  return valueMaps([
    ...sent.filter(([name]) => !forwarding.has(name.toLowerCase())),
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', String(request.port)],
    ['X-Forwarded-Proto', 'http'],
  ]);
}

const headerOf = (request: GatewayRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2015:12:34:56 +0000`, API Gateway's `requestTime` format. */
const requestTime = (date: Date): string =>
  `${String(date.getUTCDate()).padStart(2, '0')}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
  `${date.toISOString().slice(11, 19)} +0000`;

/** API Gateway gives each resource a short id; a stable hash of its path stands in for it. */
const resourceId = (resourcePath: string): string =>
  createHash('sha256').update(resourcePath).digest('hex').slice(0, 6);

export function anonymousIdentity(request: GatewayRequest): APIGatewayEventIdentity {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: request.sourceIp,
    user: null,
    userAgent: headerOf(request, 'user-agent') ?? null,
    userArn: null,
  };
}

export function requestContext<TAuthorizer>(
  request: GatewayRequest,
  match: RouteMatch,
  identity: APIGatewayEventIdentity,
  authorizer: TAuthorizer,
): APIGatewayEventRequestContextWithAuthorizer<TAuthorizer> {
  const domainName = headerOf(request, 'host') ?? `127.0.0.1:${request.port}`;
  return {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    authorizer,
    domainName,
    domainPrefix: domainName.split(/[.:]/)[0],
    extendedRequestId: request.requestId,
    httpMethod: request.method,
    identity,
    path: request.path,
    protocol: 'HTTP/1.1',
    requestId: request.requestId,
    requestTime: requestTime(request.receivedAt),
    requestTimeEpoch: request.receivedAt.getTime(),
    resourceId: resourceId(match.route.path),
    resourcePath: match.route.path,
    stage: LOCAL_STAGE,
  };
}

/** The ARN API Gateway hands a REQUEST authorizer for this call. */
export const methodArn = (request: GatewayRequest): string =>
  `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/${LOCAL_STAGE}/${request.method}${request.path}`;

/** The parts of the request both the authorizer's and the function's events carry. */
function requestParts(request: GatewayRequest, match: RouteMatch) {
  const headers = eventHeaders(request);
  const query = valueMaps(parseQueryString(request.query));
  return {
    resource: match.route.path,
    path: request.path,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: nullWhenEmpty(query.single),
    multiValueQueryStringParameters: nullWhenEmpty(query.multi),
    pathParameters: nullWhenEmpty(match.pathParameters),
    stageVariables: null,
  };
}

export function authorizerEvent(request: GatewayRequest, match: RouteMatch): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: methodArn(request),
    ...requestParts(request, match),
    requestContext: requestContext(request, match, anonymousIdentity(request), undefined),
  };
}

function eventBody(request: GatewayRequest): Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'> {
  if (request.body.length === 0) return { body: null, isBase64Encoded: false };
  const text = isTextMediaType(headerOf(request, 'content-type'));
  return {
    body: Buffer.from(request.body).toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  };
}

/** The Lambda proxy integration event API Gateway (REST) sends the route's function. */
export function proxyEvent(
  request: GatewayRequest,
  match: RouteMatch,
  identity: APIGatewayEventIdentity,
  authorizer: Record<string, string | number> | null,
): APIGatewayProxyEvent {
  return {
    ...requestParts(request, match),
    requestContext: requestContext(request, match, identity, authorizer),
    ...eventBody(request),
  };
}
