import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { LocalCredentials } from '../stack/paths';
import { decodeComponent } from '../../lambdas/contract/route-matcher';
import { parseQueryString } from './query-string';

/** A request as received, before anything is decoded. */
export interface ReceivedRequest {
  method: string;
  /** The path as sent on the wire (percent-encoded), without the query string. */
  path: string;
  /** The raw query string, without the `?`. */
  query: string;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export type SigV4Refusal =
  | 'missing'
  | 'malformed'
  | 'unknown_access_key'
  | 'wrong_region'
  | 'wrong_service'
  | 'date_skew'
  | 'body_hash_mismatch'
  | 'signature_mismatch';

export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; reason: SigV4Refusal; detail: string };

export interface SigV4VerifierOptions {
  credentials: LocalCredentials;
  service: string;
  now?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

interface AuthorizationHeader {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const refuse = (reason: SigV4Refusal, detail: string): SigV4Verdict => ({ ok: false, reason, detail });

const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

/** `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=a;b, Signature=<hex>` */
function parseAuthorization(header: string): AuthorizationHeader | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map(
    header
      .slice(ALGORITHM.length)
      .split(',')
      .map((part) => part.trim().split('=', 2) as [string, string | undefined]),
  );
  const [accessKeyId, scopeDate, region, service, terminator, ...extra] = (fields.get('Credential') ?? '').split('/');
  const signedHeaders = fields.get('SignedHeaders')?.split(';') ?? [];
  const signature = fields.get('Signature') ?? '';
  if (!accessKeyId || !scopeDate || !region || !service || terminator !== 'aws4_request' || extra.length > 0) {
    return undefined;
  }
  if (!signedHeaders.includes('host') || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { accessKeyId, scopeDate, region, service, signedHeaders, signature };
}

/** `20240102T030405Z` → the Date it names. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** RFC 3986 encoding (what SigV4 calls URI-encoding): everything but unreserved characters. */
const escapeUri = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** API Gateway (execute-api) encodes each path segment once, as opposed to the twice of most other services. */
const canonicalPath = (path: string): string => path.split('/').map(decodeComponent).map(escapeUri).join('/') || '/';

function queryParameters(query: string): Record<string, string[]> {
  const parameters: Record<string, string[]> = {};
  for (const [name, value] of parseQueryString(query)) (parameters[name] ??= []).push(value);
  return parameters;
}

async function expectedSignature(
  request: ReceivedRequest,
  authorization: AuthorizationHeader,
  signingDate: Date,
  credentials: LocalCredentials,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = headerValue(request.headers[name]);
    if (value === undefined) return undefined;
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials,
    region: authorization.region,
    service: authorization.service,
    sha256: Sha256,
    // The path below is already in canonical form, and the payload hash is whatever the client signed.
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: canonicalPath(request.path),
      query: queryParameters(request.query),
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(authorization.signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
}

const sha256Hex = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex');

const sameHex = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Verifies an AWS SigV4 `Authorization` header against the local administrator credentials. */
export async function verifySigV4(request: ReceivedRequest, options: SigV4VerifierOptions): Promise<SigV4Verdict> {
  const { credentials, service } = options;
  const header = headerValue(request.headers.authorization);
  if (!header) return refuse('missing', 'no Authorization header');
  const authorization = parseAuthorization(header);
  if (!authorization) return refuse('malformed', `Authorization header is not a valid ${ALGORITHM} signature`);
  if (authorization.accessKeyId !== credentials.accessKeyId) {
    return refuse('unknown_access_key', `unknown access key ${authorization.accessKeyId}`);
  }
  if (authorization.region !== credentials.region) {
    return refuse('wrong_region', `signed for region ${authorization.region}, expected ${credentials.region}`);
  }
  if (authorization.service !== service) {
    return refuse('wrong_service', `signed for service ${authorization.service}, expected ${service}`);
  }

  const amzDate = headerValue(request.headers['x-amz-date']) ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || !authorization.signedHeaders.includes('x-amz-date')) {
    return refuse('malformed', 'a signed X-Amz-Date header (yyyyMMddTHHmmssZ) is required');
  }
  if (!amzDate.startsWith(authorization.scopeDate)) {
    return refuse('malformed', 'the credential scope date differs from X-Amz-Date');
  }
  const skew = Math.abs((options.now ?? new Date()).getTime() - signingDate.getTime());
  if (skew > MAX_CLOCK_SKEW_MS) return refuse('date_skew', `X-Amz-Date is ${Math.round(skew / 1000)} s off`);

  const declaredBodyHash = headerValue(request.headers['x-amz-content-sha256']);
  if (declaredBodyHash !== undefined && declaredBodyHash !== sha256Hex(request.body)) {
    return refuse('body_hash_mismatch', 'the body does not match X-Amz-Content-Sha256');
  }

  const expected = await expectedSignature(request, authorization, signingDate, credentials);
  if (expected === undefined) return refuse('malformed', 'a signed header is missing from the request');
  if (!sameHex(expected, authorization.signature)) return refuse('signature_mismatch', 'signature does not match');
  return { ok: true, accessKeyId: authorization.accessKeyId };
}
