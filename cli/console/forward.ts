import type { IncomingHttpHeaders } from 'node:http';
import { routeMatcher } from '../../lambdas/contract/route-matcher';
import { INLINE_CSV_MAX_BYTES } from '../../lambdas/contract/routes';
import { CliError } from '../errors';
import type { ApiRequest, RegistryClient } from '../http';
import { type Answer, errorAnswer } from './answers';

/** Where the page reaches the registry: `/api/<route path>` is that administrator route. */
export const API_PREFIX = '/api';

/** The largest body the console passes on: an inline CSV batch at its largest (larger files: the CLI). */
export const FORWARDED_BODY_MAX_BYTES = INLINE_CSV_MAX_BYTES;

const matchRoute = routeMatcher();

/** The request headers worth passing on; anything else (cookies above all) stays in the console. */
const PASSED_HEADERS = ['accept', 'idempotency-key'] as const;

export interface PageRequest {
  method: string;
  /** The path after API_PREFIX, percent-encoded as sent. */
  path: string;
  search: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends the page's request to the registry route it names, signed as the CLI signs, and gives back the
 * registry's answer as it came. Only administrator routes are reachable: recipient and delegate routes have
 * credentials of their own, which the console neither holds nor passes on.
 */
export async function forwardToRegistry(client: RegistryClient, request: PageRequest): Promise<Answer> {
  const match = matchRoute(request.method, request.path);
  if (!match || match.route.principal !== 'admin') {
    return errorAnswer(404, 'no_such_route', `the console forwards no ${request.method} ${request.path}`);
  }
  const content = contentOf(request);
  if ('status' in content) return content;
  const headers = Object.fromEntries(
    PASSED_HEADERS.flatMap((name) => {
      const value = request.headers[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
  let response: Response;
  try {
    response = await client.forward({
      method: match.route.method,
      path: request.path,
      query: Object.fromEntries(new URLSearchParams(request.search)),
      headers,
      ...content,
    });
  } catch (error) {
    if (error instanceof CliError) return errorAnswer(502, error.code, error.message);
    throw error;
  }
  return {
    status: response.status,
    headers: { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' },
    body: Buffer.from(await response.arrayBuffer()),
  };
}

type Content = Pick<ApiRequest, 'jsonText' | 'csv'>;

/** The body as the page sent it, JSON or a CSV, byte for byte: the registry judges it. */
function contentOf({ headers, body }: PageRequest): Content | Answer {
  if (body.length === 0) return {};
  const type = headers['content-type'] ?? '';
  if (/^text\/csv\b/i.test(type)) return { csv: new Uint8Array(body) };
  if (/^application\/json\b/i.test(type)) return { jsonText: body.toString('utf8') };
  return errorAnswer(415, 'unsupported_media_type', 'send JSON (application/json) or a CSV file (text/csv)');
}
