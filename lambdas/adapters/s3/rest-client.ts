import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import { AwsTransport, type WireHeaders } from '../aws/transport';
import { S3 } from '../aws/services';
import type { AwsSettings } from '../aws/settings';
import { s3ErrorOf } from './errors';
import { XmlAnswer } from './xml';

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
export type S3Headers = WireHeaders;

export interface S3Stream {
  headers: S3Headers;
  /** The body as it arrives, never held whole. */
  body: Readable;
}

/**
 * What a presigned URL says in place of its body's hash, signed before anyone has a body; as the SDK's presigner
 * spells it, since the header becomes a query parameter.
 */
const UNSIGNED_PAYLOAD = { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' };

/** The key's path: each segment URI-encoded as S3 signs it, the slashes between them kept. */
const objectPath = (bucket: string, key: string): string =>
  `/${[bucket, ...key.split('/')].map(extendedEncodeURIComponent).join('/')}`;

/**
 * S3's REST API spoken through the SDK's own parts (`AwsTransport`): its SigV4 signer (signing and presigning), its
 * HTTP handler and its standard retries. Every request is sent again on a failure worth it: its body, when it has
 * one, is always in hand. An answer outside 2xx becomes an `AwsError`.
 */
export class S3RestClient {
  private readonly transport: AwsTransport;

  constructor(settings: AwsSettings) {
    this.transport = new AwsTransport(S3, settings);
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
   * CompleteMultipartUpload): an `<Error>` body is an `AwsError` whatever the status.
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
  presign({ bucket, key, ...request }: Omit<S3Request, 'body' | 'headers'>, expiresInSeconds: number): Promise<string> {
    return this.transport.presign(
      { ...request, path: objectPath(bucket, key), headers: UNSIGNED_PAYLOAD },
      expiresInSeconds,
    );
  }

  private attempts<T>(request: S3Request, attempt: () => Promise<T>): Promise<T> {
    return this.transport.attempts({ service: 's3', request }, attempt);
  }

  private async exchange({ bucket, key, ...request }: S3Request): Promise<S3Stream> {
    const { status, headers, body } = await this.transport.exchange({ ...request, path: objectPath(bucket, key) });
    if (status < 200 || status > 299) throw s3ErrorOf(status, await text(body));
    return { headers, body };
  }
}
