import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { request as httpRequest } from 'node:http';
import type { LocalCredentials } from '../../local/stack/paths';

export interface GatewayCall {
  method: string;
  /** The path as the caller means it (not encoded). */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const wireTarget = ({ path, query = {} }: GatewayCall): string => {
  const search = Object.entries(query)
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .join('&');
  return `${path.split('/').map(rfc3986).join('/')}${search ? `?${search}` : ''}`;
};

/** An unsigned call. */
export const call = (endpoint: string, request: GatewayCall): Promise<Response> =>
  fetch(`${endpoint}${wireTarget(request)}`, { method: request.method, headers: request.headers, body: request.body });

/** A call signed like the CLI signs (SigV4, service execute-api, the SDK signer's standard options). */
export async function signedCall(
  endpoint: string,
  credentials: LocalCredentials,
  request: GatewayCall,
  signingDate = new Date(),
): Promise<Response> {
  const { host: _host, ...headers } = await signedHeaders(endpoint, credentials, request, signingDate);
  return fetch(`${endpoint}${wireTarget(request)}`, { method: request.method, headers, body: request.body });
}

/** The headers of `request` signed like the CLI signs them, with `host` as the host it was sent to. */
async function signedHeaders(
  endpoint: string,
  credentials: LocalCredentials,
  request: GatewayCall,
  signingDate: Date,
  host = new URL(endpoint).host,
): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region: credentials.region, service: 'execute-api', sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query: request.query ?? {},
      headers: { host, ...request.headers },
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers;
}

/**
 * A call whose `Host` header names `host` rather than the endpoint it goes to, as a client lying about where it
 * sent it would (fetch always sends the endpoint's own); signed for that host when `credentials` are given.
 */
export async function callWithHost(
  endpoint: string,
  host: string,
  request: GatewayCall,
  credentials?: LocalCredentials,
): Promise<{ status: number; body: string }> {
  const headers = credentials
    ? await signedHeaders(endpoint, credentials, request, new Date(), host)
    : { ...request.headers, host };
  const url = new URL(`${endpoint}${wireTarget(request)}`);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
