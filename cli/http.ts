import * as z from 'zod/mini';
import { isLoopback } from './endpoint';
import { ApiError, CliError } from './errors';
import type { RequestSigner } from './signing';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Route path under the API base, e.g. `/invitations/{id}` with the id already filled in. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** A JSON body sent byte for byte, as another client wrote it (the console's page), instead of `body`. */
  jsonText?: string;
  /** A `text/csv` body, sent byte for byte instead of a JSON `body`. */
  csv?: Uint8Array;
  headers?: Record<string, string>;
}

const errorAnswer = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
    requestId: z.optional(z.string()),
  }),
});

const REQUEST_TIMEOUT_MS = 60_000;

/** The registry API over HTTP: administrator routes signed with SigV4, recipient routes sent as they are. */
export class RegistryClient {
  constructor(
    readonly endpoint: URL,
    private readonly sign: RequestSigner,
  ) {}

  admin<T>(request: ApiRequest): Promise<T> {
    return this.send<T>(request, true);
  }

  recipient<T>(request: ApiRequest): Promise<T> {
    return this.send<T>(request, false);
  }

  /** An administrator route that may answer something other than JSON (a CSV file): its 2xx response as it came. */
  async adminResponse(request: ApiRequest): Promise<Response> {
    const response = await this.forward(request);
    if (!response.ok) throw failureOf(response, await response.text());
    return response;
  }

  /** An administrator route's answer as it came, whatever its status: what the console passes on to its page. */
  forward(request: ApiRequest): Promise<Response> {
    return this.fetch(request, true);
  }

  private async send<T>(request: ApiRequest, signed: boolean): Promise<T> {
    return answerOf<T>(await this.fetch(request, signed));
  }

  private async fetch(request: ApiRequest, signed: boolean): Promise<Response> {
    const url = this.urlOf(request);
    const json = request.jsonText ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const body = request.csv ?? json;
    const contentType = request.csv ? 'text/csv' : json === undefined ? undefined : 'application/json';
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(contentType && { 'content-type': contentType }),
      ...request.headers,
    };
    const { host: _host, ...sent } = signed ? await this.sign({ method: request.method, url, headers, body }) : headers;
    try {
      return await fetch(url, {
        method: request.method,
        headers: sent,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private urlOf({ path, query = {} }: ApiRequest): URL {
    const search = Object.entries(query)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
      .join('&');
    const basePath = this.endpoint.pathname.replace(/\/$/, '');
    return new URL(`${basePath}${path}${search ? `?${search}` : ''}`, this.endpoint.origin);
  }

  private unreachable(error: unknown): CliError {
    const origin = this.endpoint.origin;
    const failure = error as NetworkFailure;
    if (failure.name === 'TimeoutError') {
      return new CliError(`no answer from ${origin} within ${REQUEST_TIMEOUT_MS / 1000} s`, 'timeout');
    }
    if (failure.cause?.code === 'ECONNREFUSED' && isLoopback(this.endpoint)) {
      return new CliError(
        `the embedded stack is not running at ${origin}; start it with \`npm start\``,
        'stack_not_running',
      );
    }
    return new CliError(`cannot reach ${origin}: ${networkFailureReason(error)}`, 'connection_failed');
  }
}

// Duck-typed: fetch's errors may come from another realm (e.g. under jest), where `instanceof Error` fails.
type NetworkFailure = { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };

/** The most telling part of a failed connection: `ECONNREFUSED`, `ENOTFOUND`, … or the message. */
export function networkFailureReason(error: unknown): string {
  const failure = error as NetworkFailure;
  return failure.cause?.code ?? failure.code ?? failure.cause?.message ?? failure.message ?? String(error);
}

/** Percent-encoding as SigV4 canonicalises it, so the query we send is the query we signed. */
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

async function answerOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw failureOf(response, text);
  const json = parseJson(text);
  if (text && json === undefined) {
    throw new CliError(`the registry answered HTTP ${response.status} with something that is not JSON`, 'bad_answer');
  }
  return json as T;
}

function failureOf(response: Response, text: string): ApiError {
  const json = parseJson(text);
  const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
  const envelope = z.safeParse(errorAnswer, json);
  if (envelope.success) {
    const { code, message, details, requestId: id } = envelope.data.error;
    return new ApiError(response.status, code, message, id ?? requestId, details);
  }
  // Answers that did not come from our handlers, e.g. API Gateway's own `{"message":"Missing Authentication Token"}`.
  const message = z.safeParse(z.object({ message: z.string() }), json);
  const description = message.success ? message.data.message : text.slice(0, 200) || response.statusText;
  return new ApiError(response.status, `http_${response.status}`, description, requestId);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
