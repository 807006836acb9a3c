import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import ipaddr from 'ipaddr.js';
import { RESPONSE_EXCERPT_MAX } from '../domain/webhook';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../ports';

/**
 * Webhook requests, sent only to public addresses (docs/SPEC.md §4.8): the host is resolved first, refused when
 * any of its addresses is private, loopback, link-local (the instance metadata service included), unique-local,
 * shared (100.64/10), multicast, unspecified or otherwise reserved, also in an IPv4-mapped IPv6 form; then the
 * request connects to the address that was vetted (its `lookup` answers only that), so the name cannot resolve
 * elsewhere between the check and the connection. Redirects are not followed.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const resolveAll: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export const REFUSED_PRIVATE = 'refused: resolves to a private address';

export const REQUEST_TIMEOUT_MS = 10_000;

/** ipaddr.js's name for the range of an address (an IPv4-mapped IPv6 address judged as its IPv4 address). */
function rangeOf(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  const parsed = ipaddr.parse(address);
  const mapped = parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress();
  return (mapped ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed).range();
}

/** Whether an address is a public unicast one: no private, loopback, link-local, shared or reserved range. */
export const isPublicAddress = (address: string): boolean => rangeOf(address) === 'unicast';

const isLoopbackAddress = (address: string): boolean => rangeOf(address) === 'loopback';

export interface WebhookHttpOptions {
  /** Also sends to loopback addresses, and `http` requests to those alone (the embedded stack's receivers run locally). */
  allowLoopback: boolean;
  resolve?: Resolver;
  timeoutMs?: number;
}

/** The address a request to `host` may connect to, or why none may. */
export async function vettedAddress(
  host: string,
  { allowLoopback, resolve = resolveAll }: Pick<WebhookHttpOptions, 'allowLoopback' | 'resolve'>,
): Promise<ResolvedAddress | { refused: string }> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  if (isIP(literal)) addresses = [{ address: literal, family: isIP(literal) }];
  else {
    try {
      addresses = await resolve(literal);
    } catch (error) {
      return {
        refused: `cannot resolve ${literal}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      };
    }
  }
  const allowed = (address: string) => isPublicAddress(address) || (allowLoopback && isLoopbackAddress(address));
  if (addresses.length === 0) return { refused: `cannot resolve ${literal}` };
  if (!addresses.every(({ address }) => allowed(address))) return { refused: REFUSED_PRIVATE };
  return addresses[0]!;
}

/** A `lookup` that answers the vetted address whatever it is asked: the connection goes nowhere else. */
const pinnedLookup =
  ({ address, family }: ResolvedAddress): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };

type RequestFunction = typeof httpsRequest;

/**
 * The HTTP module of a URL's protocol. `node:http` is loaded only for an `http` URL, which only the embedded stack
 * allows: imported up front it would cost every function's cold start (docs/ARCHITECTURE.md §6).
 */
async function requestFunction(protocol: string): Promise<RequestFunction> {
  if (protocol === 'https:') return httpsRequest;
  const http = await import('node:http');
  return http.request as unknown as RequestFunction;
}

function send(
  request: RequestFunction,
  { url, headers, body }: WebhookRequest,
  options: RequestOptions,
  timeoutMs: number,
): Promise<WebhookResponse> {
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      { ...options, method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        let excerpt = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (excerpt.length < RESPONSE_EXCERPT_MAX) excerpt += chunk.slice(0, RESPONSE_EXCERPT_MAX - excerpt.length);
        });
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body: excerpt }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    outgoing.on('close', () => clearTimeout(timer));
    outgoing.on('error', (error) => resolve({ error: error.message }));
    outgoing.end(body);
  });
}

/** Sends webhook requests as the module comment says. */
export function webhookHttp(options: WebhookHttpOptions): WebhookSender {
  const { allowLoopback, timeoutMs = REQUEST_TIMEOUT_MS } = options;
  return async (request) => {
    const url = new URL(request.url);
    if (url.protocol !== 'https:' && !(allowLoopback && url.protocol === 'http:')) {
      return { error: `refused: ${url.protocol.slice(0, -1)} URLs are not sent` };
    }
    const vetted = await vettedAddress(url.hostname, options);
    if ('refused' in vetted) return { error: vetted.refused };
    // Plain http only ever reaches a receiver on this machine: never a public address in clear.
    if (url.protocol === 'http:' && !isLoopbackAddress(vetted.address)) {
      return { error: 'refused: http URLs are sent to loopback addresses only' };
    }
    return send(await requestFunction(url.protocol), request, { lookup: pinnedLookup(vetted) }, timeoutMs);
  };
}
