import type { APIGatewayProxyResult } from 'aws-lambda';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { gatewayErrorBody, type GatewayResponseDefinition } from '../../lambdas/contract/gateway-responses';

type HeaderValue = string | number | boolean;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isHeaderValue = (value: unknown): value is HeaderValue => ['string', 'number', 'boolean'].includes(typeof value);

/** What API Gateway accepts from a proxy integration; anything else is a 502. */
export function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (!isRecord(value)) return false;
  const { statusCode, body, headers, multiValueHeaders, isBase64Encoded } = value;
  return (
    Number.isInteger(statusCode) &&
    (statusCode as number) >= 100 &&
    (statusCode as number) <= 599 &&
    (body === undefined || body === null || typeof body === 'string') &&
    (headers === undefined || (isRecord(headers) && Object.values(headers).every(isHeaderValue))) &&
    (multiValueHeaders === undefined ||
      (isRecord(multiValueHeaders) &&
        Object.values(multiValueHeaders).every((values) => Array.isArray(values) && values.every(isHeaderValue)))) &&
    (isBase64Encoded === undefined || typeof isBase64Encoded === 'boolean')
  );
}

/** API Gateway merges both header maps; a name present in `multiValueHeaders` takes only those values. */
function responseHeaders(result: APIGatewayProxyResult, requestId: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name.toLowerCase()] = values.map(String);
  }
  headers['x-amzn-requestid'] = requestId;
  return headers;
}

export function writeProxyResult(response: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode, responseHeaders(result, requestId));
  response.end(body);
}

export function writeGatewayError(
  response: ServerResponse,
  definition: GatewayResponseDefinition,
  requestId: string,
): void {
  response.writeHead(definition.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
  response.end(gatewayErrorBody(definition, requestId));
}
