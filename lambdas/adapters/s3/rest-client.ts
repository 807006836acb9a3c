import { tracingChannel } from 'node:diagnostics_channel';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { s3ErrorOf } from './errors';
import { Retries } from './retry';
import { XmlAnswer } from './xml';

export interface S3Settings {
  /** Requests go path-style to `<endpoint>/<bucket>/<key>`. */
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** One request about one object. */
export interface S3Request {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket: string;
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** An answer's headers, their names in lower case. */
export type S3Headers = Readonly<Record<string, string | undefined>>;

export interface S3Stream {
  headers: S3Headers;
  /** The body as it arrives, never held whole. */
  body: Readable;
}

/**
 * Every request (with its retries) traced on a diagnostics channel, for whoever measures them: the benchmarks count
 * S3's requests by operation. Nothing is published while no one subscribes.
 */
export const S3_REQUESTS = tracingChannel<unknown, { request: S3Request }>('prism:s3-requests');

/**
 * What a presigned URL says in place of its body's hash, signed before anyone has a body; as the SDK's presigner
 * spells it, since the header becomes a query parameter.
 */
const UNSIGNED_PAYLOAD = { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' };

/** The key's path: each segment URI-encoded as S3 signs it, the slashes between them kept. */
const objectPath = (bucket: string, key: string): string =>
  [bucket, ...key.split('/')].map(extendedEncodeURIComponent).join('/');

/** PUT and POST say how long their body is, even an empty one: S3 takes no body of unstated length. */
const sendsBody = (method: S3Request['method']): boolean => method === 'PUT' || method === 'POST';

const bodyLength = (body: string | Uint8Array): number =>
  typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;

/**
 * In Lambda, the invocation's X-Ray trace header goes with every request, as the SDK's clients send it: S3 passes
 * it on to the event notifications a write causes.
 */
function traceHeader(): Record<string, string> {
  const traceId = process.env._X_AMZN_TRACE_ID;
  return process.env.AWS_LAMBDA_FUNCTION_NAME && traceId ? { 'x-amzn-trace-id': traceId } : {};
}

/**
 * S3's REST API spoken through the SDK's own parts: its SigV4 signer (signing and presigning) and its HTTP handler.
 * Every request is sent again on a failure worth it (`Retries`): its body, when it has one, is always in hand.
 * An answer outside 2xx becomes an `S3Error`.
 */
export class S3RestClient {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private readonly retries = new Retries();

  constructor(
    { endpoint, region, credentials }: S3Settings,
    private readonly http = new NodeHttpHandler(),
  ) {
    this.endpoint = new URL(endpoint);
    // S3 signs each path as sent, not escaped again; every request carries its body's hash (x-amz-content-sha256).
    this.signer = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false });
  }

  /** Sends the request; resolves with the answer's headers once its (empty or unneeded) body is read. */
  send(request: S3Request): Promise<S3Headers> {
    return this.attempts(request, async () => {
      const { headers, body } = await this.exchange(request);
      await text(body);
      return headers;
    });
  }

  /** Sends the request; resolves with the answer's body as a stream, from the moment S3 starts sending it. */
  open(request: S3Request): Promise<S3Stream> {
    return this.attempts(request, () => this.exchange(request));
  }

  /**
   * Sends the request; resolves with the answer's XML. Some answer 200 and only then find they failed (a
   * CompleteMultipartUpload): an `<Error>` body is an `S3Error` whatever the status.
   */
  sendForXml(request: S3Request): Promise<XmlAnswer> {
    return this.attempts(request, async () => {
      const { body } = await this.exchange(request);
      const xml = await text(body);
      const answer = new XmlAnswer(xml);
      if (answer.root === 'Error') throw s3ErrorOf(200, xml);
      return answer;
    });
  }

  /** A URL anyone may send the request to (without its body or headers) for `expiresInSeconds`. */
  async presign(request: Omit<S3Request, 'body' | 'headers'>, expiresInSeconds: number): Promise<string> {
    const unsigned = this.httpRequest({ ...request, headers: UNSIGNED_PAYLOAD });
    const { path, query = {} } = await this.signer.presign(unsigned, { expiresIn: expiresInSeconds });
    return `${this.endpoint.origin}${path}?${buildQueryString(query)}`;
  }

  private attempts<T>(request: S3Request, attempt: () => Promise<T>): Promise<T> {
    return S3_REQUESTS.tracePromise(() => this.retries.run(attempt), { request });
  }

  private async exchange(request: S3Request): Promise<S3Stream> {
    const length: Record<string, string> = sendsBody(request.method)
      ? { 'content-length': String(bodyLength(request.body ?? '')) }
      : {};
    const unsigned = this.httpRequest({ ...request, headers: { ...request.headers, ...length, ...traceHeader() } });
    const { response } = await this.http.handle(new HttpRequest(await this.signer.sign(unsigned)));
    const body = response.body as Readable;
    if (response.statusCode < 200 || response.statusCode > 299) throw s3ErrorOf(response.statusCode, await text(body));
    return { headers: response.headers, body };
  }

  private httpRequest({ method, bucket, key, query, headers, body }: S3Request): HttpRequest {
    const { protocol, hostname, port, host, pathname } = this.endpoint;
    return new HttpRequest({
      protocol,
      hostname,
      ...(port && { port: Number(port) }),
      method,
      path: `${pathname.replace(/\/$/, '')}/${objectPath(bucket, key)}`,
      query,
      headers: { host, ...headers },
      body,
    });
  }
}
