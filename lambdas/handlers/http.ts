import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Origin } from '../domain/audit';
import { RegistryError, invalid } from '../domain/errors';
import * as z from '../domain/zod';
import type { FunctionName } from '../../system/functions';
import { defaultDeps } from '../adapters/composition';
import type { Deps } from '../usecases/deps';
import { INLINE_CSV_MAX_BYTES, ROUTES, type Route, type RouteKey, routeKey } from '../contract/routes';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';
import { type Principal, principalOf } from './principal';

type Parsed<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export interface RouteRequest<R extends Route> {
  body: R extends { body: infer S } ? Parsed<S> : undefined;
  query: R extends { query: infer S } ? Parsed<S> : undefined;
  params: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The `text/csv` body of a route that accepts one (`acceptsCsv`); `body` is then undefined. */
  csv?: string;
  /** Who is calling, established before the route runs (docs/SPEC.md §4.1). */
  principal: Extract<Principal, { kind: R['principal'] }>;
  /** The principal, request id and source address the audit log records with any change this request makes. */
  origin: Origin;
  /** What the use cases run on: the process's composition root. */
  deps: Deps;
  event: APIGatewayProxyEvent;
}

export interface RouteResult {
  status?: number;
  /** Sent as JSON, unless `contentType` says the body is already text of that type. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type RoutesOf<F extends FunctionName> = Extract<Route, { function: F }>;

/** One implementation per route of the function, checked against the route table at compile time. */
export type RouteImplementations<F extends FunctionName> = {
  [R in RoutesOf<F> as `${R['method']} ${R['path']}`]: (request: RouteRequest<R>) => Promise<RouteResult>;
};

export interface HttpFunctionOptions<F extends FunctionName> {
  /** Told of every refusal (an answer with a RegistryError, bad input included) by the routes it names. */
  onRefusal?: { [K in keyof RouteImplementations<F>]?: (error: RegistryError) => void };
}

/**
 * A Lambda handler for the routes of one function: parses and validates input against the route
 * table's schemas, runs the route, and answers errors as `{"error":{"code","message","details?","requestId"}}`.
 * Bad input is always a 4xx naming the field; only a fault of ours is a 500. Every request counts in
 * `Requests` by its route.
 */
export function httpFunction<F extends FunctionName>(
  name: F,
  implementations: NoInfer<RouteImplementations<F>>,
  { onRefusal = {} }: NoInfer<HttpFunctionOptions<F>> = {},
) {
  const routes = new Map(ROUTES.filter((route) => route.function === name).map((route) => [routeKey(route), route]));
  const table = implementations as unknown as Record<string, (request: RouteRequest<Route>) => Promise<RouteResult>>;
  const refusalListeners = onRefusal as Record<string, ((error: RegistryError) => void) | undefined>;

  const handle = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const requestId = context.awsRequestId;
    // API Gateway's resource template, never the raw path: one value per route.
    const key = `${event.httpMethod} ${event.resource}` as RouteKey;
    countMetric('Requests', { route: key });
    try {
      const route = routes.get(key);
      const implementation = table[key];
      if (!route || !implementation) throw new RegistryError(404, 'not_found', `No route ${key}`);
      const headers = lowerCaseHeaders(event.headers);
      const csv = 'acceptsCsv' in route ? readCsv(event, headers['content-type']) : undefined;
      const principal = principalOf(route.principal, event);
      const sourceIp = event.requestContext.identity?.sourceIp;
      const request = {
        csv,
        body: 'body' in route && csv === undefined ? parse('body', route.body, readBody(event)) : undefined,
        query: 'query' in route ? parse('query', route.query, event.queryStringParameters ?? {}) : undefined,
        params: (event.pathParameters ?? {}) as Record<string, string>,
        headers,
        principal,
        origin: { actor: principal.actor, requestId, ...(sourceIp && { sourceIp }) },
        deps: defaultDeps(),
        event,
      } as RouteRequest<Route>;
      const result = await implementation(request);
      if (result.contentType) return text(result.status ?? route.status, result.body as string, result.contentType);
      return json(result.status ?? route.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof RegistryError) {
        refusalListeners[key]?.(error);
        return json(error.status, {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details && { details: error.details }),
            requestId,
          },
        });
      }
      logger.error('Unhandled error', { error: error as Error });
      return json(500, { error: { code: 'internal_error', message: 'Internal error', requestId } });
    }
  };
  return lambdaHandler(handle);
}

const bodyText = (event: APIGatewayProxyEvent): string =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');

function readBody(event: APIGatewayProxyEvent): unknown {
  if (!event.body) return {};
  try {
    return JSON.parse(bodyText(event));
  } catch {
    throw new RegistryError(400, 'invalid_json', 'Request body is not valid JSON');
  }
}

/** The body of a `text/csv` request, within INLINE_CSV_MAX_BYTES; undefined for any other content type. */
function readCsv(event: APIGatewayProxyEvent, contentType: string | undefined): string | undefined {
  if (!contentType?.toLowerCase().startsWith('text/csv')) return undefined;
  const csv = bodyText(event);
  if (Buffer.byteLength(csv) > INLINE_CSV_MAX_BYTES) {
    throw new RegistryError(
      413,
      'request_too_large',
      `An inline CSV may hold ${INLINE_CSV_MAX_BYTES} bytes; upload larger files with a presigned URL (send JSON options)`,
    );
  }
  if (csv.length === 0) throw invalid('body', 'the CSV is empty');
  return csv;
}

function parse(where: 'body' | 'query', schema: z.ZodMiniType, value: unknown): unknown {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message,
  }));
  const [first] = issues;
  throw invalid(first!.field, first!.message, { issues });
}

function lowerCaseHeaders(headers: APIGatewayProxyEvent['headers']): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (value !== undefined) lower[name.toLowerCase()] = value;
  return lower;
}

function text(statusCode: number, body: string, contentType: string): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
