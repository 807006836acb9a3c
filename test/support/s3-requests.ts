import { crc32 } from 'node:zlib';
import { S3_REQUESTS, type S3Request } from '../../lambdas/adapters/s3/rest-client';

export interface S3Recording {
  /** Each request as the S3 adapter asked for it (once, whatever its retries). */
  sent: S3Request[];
  stop(): void;
}

/** Records the requests the S3 adapter of this process sends from now until `stop`. */
export function recordS3Requests(): S3Recording {
  const sent: S3Request[] = [];
  const onStart = (message: unknown) => sent.push((message as { request: S3Request }).request);
  S3_REQUESTS.start.subscribe(onStart);
  return { sent, stop: () => S3_REQUESTS.start.unsubscribe(onStart) };
}

/** The CRC32 S3 expects of `body`: base64 of its big-endian bytes. */
export const crc32Base64 = (body: string | Uint8Array): string =>
  Buffer.from(crc32(body).toString(16).padStart(8, '0'), 'hex').toString('base64');

/** Whether the request carries the CRC32 of the body it sends. */
export const carriesItsCrc32 = ({ headers, body }: S3Request): boolean =>
  body !== undefined && headers?.['x-amz-checksum-crc32'] === crc32Base64(body);
