import { tracingChannel } from 'node:diagnostics_channel';
import type { Readable } from 'node:stream';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3Request } from '../s3/rest-client';
import { Retries } from './retry';
import type { AwsService, AwsSettings } from './settings';

/** One request as it goes on the wire, its path under the endpoint's. */
export interface WireRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** An answer's headers, their names in lower case. */
export type WireHeaders = Readonly<Record<string, string | undefined>>;

export interface WireAnswer {
  status: number;
  headers: WireHeaders;
  /** The body as it arrives, never held whole. */
  body: Readable;
  /** `text` with the request's credentials and signature masked, for an error that may quote them. */
  redact(text: string): string;
}

/** An S3 request as the S3 adapter asked for it. */
export interface TracedS3Request {
  service: 's3';
  request: S3Request;
}

/** A JSON-protocol request: its operation and its body as sent. */
export interface TracedJsonRequest {
  /** As the service's endpoint variable names it, in lower case: `dynamodb`, `sqs`, `eventbridge`… */
  service: string;
  operation: string;
  body: string;
}

/**
 * Every request (with its retries) to any AWS service traced on one diagnostics channel, for whoever measures
 * them: the benchmarks and the tests count requests by service and operation. On success the trace's `result` is
 * the answer as the service gave it (a JSON request's parsed body). Nothing is published while no one subscribes.
 */
export const AWS_REQUESTS = tracingChannel<unknown, TracedS3Request | TracedJsonRequest>('prism:aws-requests');

/** PUT and POST say how long their body is, even an empty one: S3 takes no body of unstated length. */
const sendsBody = (method: WireRequest['method']): boolean => method === 'PUT' || method === 'POST';

const bodyLength = (body: string | Uint8Array): number =>
  typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;

/**
 * In Lambda, the invocation's X-Ray trace header goes with every request, as the SDK's clients send it: a message
 * sent to a queue and an S3 event notification carry it on to the function they start.
 */
function traceHeader(): Record<string, string> {
  const traceId = process.env._X_AMZN_TRACE_ID;
  return process.env.AWS_LAMBDA_FUNCTION_NAME && traceId ? { 'x-amzn-trace-id': traceId } : {};
}

/**
 * Masks what of a signed request must never be shown: its access key, signature and session token. A service may
 * echo the request it refused (a signature mismatch quotes the canonical request, the token's header included).
 * Only an error reads it, so nothing is looked for in a request that succeeded.
 */
function redactorOf({ headers }: { headers: Record<string, string | undefined> }): (text: string) => string {
  return (text) => {
    const authorization = headers.authorization ?? '';
    const secrets = [
      /Credential=([^/,\s]+)/.exec(authorization)?.[1],
      /Signature=([0-9a-f]+)/.exec(authorization)?.[1],
      headers['x-amz-security-token'],
    ].filter((secret): secret is string => Boolean(secret));
    return secrets.reduce((masked, secret) => masked.replaceAll(secret, '[redacted]'), text);
  };
}

/**
 * Requests to one AWS service through the SDK's own parts: its SigV4 signer (signing and presigning), its HTTP
 * handler and its standard retry strategy (`Retries`, one quota per service and process).
 */
export class AwsTransport {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private readonly retries: Retries;
  private readonly http = new NodeHttpHandler();

  constructor(service: AwsService, { endpoint, region, credentials }: AwsSettings) {
    this.endpoint = new URL(endpoint);
    // Paths are signed as sent: S3's adapter escapes its keys itself, the JSON services' path is `/`.
    this.signer = new SignatureV4({
      service: service.signingName,
      region,
      credentials,
      sha256: Sha256,
      uriEscapePath: false,
    });
    this.retries = new Retries(service.signingName);
  }

  /** Runs `attempt` until it succeeds or fails for good, the whole traced as `traced`. */
  attempts<T>(traced: TracedS3Request | TracedJsonRequest, attempt: () => Promise<T>): Promise<T> {
    return AWS_REQUESTS.tracePromise(() => this.retries.run(attempt), traced);
  }

  /** Signs and sends one attempt of the request; resolves with the answer whatever its status. */
  async exchange(request: WireRequest): Promise<WireAnswer> {
    const length: Record<string, string> = sendsBody(request.method)
      ? { 'content-length': String(bodyLength(request.body ?? '')) }
      : {};
    const unsigned = this.httpRequest({ ...request, headers: { ...request.headers, ...length, ...traceHeader() } });
    const signed = await this.signer.sign(unsigned);
    const { response } = await this.http.handle(new HttpRequest(signed));
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body as Readable,
      redact: redactorOf(signed),
    };
  }

  /** A URL anyone may send the request to (without its body) for `expiresInSeconds`. */
  async presign(request: Omit<WireRequest, 'body'>, expiresInSeconds: number): Promise<string> {
    const { path, query = {} } = await this.signer.presign(this.httpRequest(request), {
      expiresIn: expiresInSeconds,
    });
    return `${this.endpoint.origin}${path}?${buildQueryString(query)}`;
  }

  private httpRequest({ method, path, query, headers, body }: WireRequest): HttpRequest {
    const { protocol, hostname, port, host, pathname } = this.endpoint;
    return new HttpRequest({
      protocol,
      hostname,
      ...(port && { port: Number(port) }),
      method,
      path: `${pathname.replace(/\/$/, '')}${path}`,
      query,
      headers: { host, ...headers },
      body,
    });
  }
}
