/**
 * The console's one way to the registry: same-origin requests to the console server, which forwards `/api/…` to the
 * registry's administrator routes signed with the administrator's credentials. The session cookie goes along by
 * itself; nothing secret is kept in the page.
 */

/** An error answer of the registry (`{"error":{"code","message","details?","requestId?"}}`), or of the way there. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/** `?a=1&b=x` of the values that are set; empty strings are left out like unset ones. */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A registry path from its segments, each encoded: `registryPath('invitations', id, 'devices')`. */
export const registryPath = (...segments: string[]) => `/${segments.map(encodeURIComponent).join('/')}`;

interface Request {
  method?: 'GET' | 'POST' | 'DELETE';
  query?: Query;
  json?: unknown;
  csv?: Blob;
}

/** The answer of `path` on the console server (not under `/api`): `/session`. */
export async function consoleGet<T>(path: string): Promise<T> {
  return (await answer(await fetch(path, { cache: 'no-store' }))).json() as Promise<T>;
}

/** Sends a request to a registry route and returns the answer once it is a success; an error answer throws ApiError. */
export async function call(path: string, request: Request = {}): Promise<Response> {
  const { method = 'GET', query, json, csv } = request;
  const headers: Record<string, string> = { accept: 'application/json, text/csv' };
  let body: BodyInit | undefined;
  if (csv) {
    headers['content-type'] = 'text/csv';
    body = csv;
  } else if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}${queryString(query)}`, { method, headers, body, cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'network_error', `The console server did not answer: ${(error as Error).message}`);
  }
  return answer(response);
}

/** `call`, read as JSON. */
export const callJson = async <T>(path: string, request?: Request): Promise<T> =>
  (await call(path, request)).json() as Promise<T>;

async function answer(response: Response): Promise<Response> {
  if (response.ok) return response;
  const text = await response.text();
  let error: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    // Not the registry's JSON: the console server's own answer, or a proxy's.
  }
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details =
      typeof error.details === 'object' && error.details ? (error.details as Record<string, unknown>) : undefined;
    const requestId = typeof error.requestId === 'string' ? error.requestId : undefined;
    throw new ApiError(response.status, error.code, error.message, details, requestId);
  }
  const message = text.trim().slice(0, 300) || response.statusText || 'no message';
  throw new ApiError(response.status, `http_${response.status}`, message);
}
