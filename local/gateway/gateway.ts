import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { GATEWAY_RESPONSES, REQUEST_MODEL_MEDIA_TYPE } from '../../lambdas/contract/gateway-responses';
import type { RouteDefinition } from '../../lambdas/contract/routes';
import { close, listen } from '../stack/http-server';
import { lambdaRuntime } from '../stack/lambda-runtime';
import type { LocalCredentials } from '../stack/paths';
import { LOOPBACK } from '../stack/ports';
import { authenticate } from './principals';
import { proxyEvent, type GatewayRequest } from './proxy-event';
import { isProxyResult, writeGatewayError, writeProxyResult } from './proxy-response';
import { splitRequestTarget } from './query-string';
import { readBody } from './request-body';
import { routeMatcher, type RouteMatch } from '../../lambdas/contract/route-matcher';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface GatewayOptions {
  /** 0 picks a free port (on LOOPBACK, as every port of the embedded stack). */
  port: number;
  /** The administrator credentials SigV4 signatures are checked against. */
  credentials: LocalCredentials;
  /** Receives one line per request (method, path without query, status, duration); silent when absent. */
  accessLog?: (line: string) => void;
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Exchange {
  requestId: string;
  match?: RouteMatch;
}

const sourceIpOf = (request: IncomingMessage): string =>
  (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

/** Logs a failure without the request's query string or body: tokens travel in some of them. */
function logFailure(requestId: string, match: RouteMatch | undefined, error: unknown): void {
  const where = match ? `${match.route.method} ${match.route.path} (${match.route.function})` : 'request';
  console.error(`[gateway] ${requestId} ${where} failed:`, error);
}

/**
 * Whether API Gateway refuses the body as malformed JSON: it parses the body of a route with a request model
 * (when the body's type is the modelled one, or none) before any function runs. Whatever else the model refuses,
 * the function refuses too, with the same status and code (see GATEWAY_RESPONSES.badRequestBody).
 */
function isMalformedModelledBody(route: RouteDefinition, contentType: string | undefined, body: Buffer): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!route.body || body.length === 0 || (mediaType && mediaType !== REQUEST_MODEL_MEDIA_TYPE)) return false;
  try {
    JSON.parse(body.toString('utf8'));
    return false;
  } catch {
    return true;
  }
}

/**
 * Serves the route table on one HTTP port as API Gateway (REST, Lambda proxy integration) would:
 * route matching, SigV4 for administrators, the REQUEST authorizer for delegates, request validation (as far as
 * the functions do not repeat it), the functions' events and answers, and the gateway's own error answers.
 */
export async function startGateway({ port, credentials, accessLog }: GatewayOptions) {
  const matchRoute = routeMatcher();
  const invoke = lambdaRuntime();
  let listeningPort = port;

  /** `exchange.match` is set once the route is known, so a failure can be logged against it. */
  async function handle(incoming: IncomingMessage, response: ServerResponse, exchange: Exchange) {
    const { requestId } = exchange;
    const receivedAt = new Date();
    const method = incoming.method ?? 'GET';
    const { path, query } = splitRequestTarget(incoming.url ?? '/');
    const body = await readBody(incoming, MAX_BODY_BYTES);
    if (!body) {
      response.setHeader('connection', 'close');
      return writeGatewayError(response, GATEWAY_RESPONSES.requestTooLarge, requestId);
    }
    const match = (exchange.match = matchRoute(method, path));
    if (!match) return writeGatewayError(response, GATEWAY_RESPONSES.missingAuthentication, requestId);

    const request: GatewayRequest = {
      method,
      path,
      query,
      headers: incoming.headers,
      rawHeaders: incoming.rawHeaders,
      body,
      sourceIp: sourceIpOf(incoming),
      port: listeningPort,
      requestId,
      receivedAt,
    };
    const authentication = await authenticate(request, match, { credentials, invoke });
    if (!authentication.ok) {
      if (authentication.failure) logFailure(requestId, match, authentication.failure);
      return writeGatewayError(response, authentication.response, requestId);
    }
    if (isMalformedModelledBody(match.route, incoming.headers['content-type'], body)) {
      return writeGatewayError(response, GATEWAY_RESPONSES.badRequestBody, requestId);
    }
    const event = proxyEvent(request, match, authentication.identity, authentication.authorizer);
    const result = await invoke(match.route.function, event, requestId);
    if (!isProxyResult(result)) throw new Error('the function did not return a Lambda proxy result');
    writeProxyResult(response, result, requestId);
  }

  const server = createServer((incoming, response) => {
    const exchange: Exchange = { requestId: randomUUID() };
    const startedAt = Date.now();
    response.once('finish', () => {
      const { path } = splitRequestTarget(incoming.url ?? '/');
      accessLog?.(`${incoming.method} ${path} ${response.statusCode} ${Date.now() - startedAt}ms`);
    });
    handle(incoming, response, exchange).catch((error: unknown) => {
      logFailure(exchange.requestId, exchange.match, error);
      if (response.headersSent) response.destroy();
      else writeGatewayError(response, GATEWAY_RESPONSES.integrationFailure, exchange.requestId);
    });
  });

  listeningPort = await listen(server, port);

  return {
    url: `http://${LOOPBACK}:${listeningPort}`,
    port: listeningPort,
    close: () => close(server),
  } satisfies Gateway;
}
