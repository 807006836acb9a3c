import { crc32 } from 'node:zlib';
import type { S3RestClient } from './rest-client';
import { escapedXml } from './xml';

/** S3's smallest part but the last: streams are cut into parts of this size. */
export const PART_BYTES = 5 * 1024 * 1024;

const CRC32_HEADER = 'x-amz-checksum-crc32';

/** Where an upload goes, and the type the object is stored with. */
export interface UploadTarget {
  bucket: string;
  key: string;
  contentType: string;
}

interface UploadedPart {
  number: number;
  eTag: string;
  crc32: string;
}

/** The body's CRC32 as S3 takes it: base64 of its four bytes, big-endian. */
function crc32Of(body: string | Uint8Array): string {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body));
  return checksum.toString('base64');
}

/**
 * Puts the object in one request with its CRC32: S3 checks it, and a bucket with Object Lock (the audit archive)
 * refuses a write that carries no checksum.
 */
export async function putObject(s3: S3RestClient, target: UploadTarget, body: string | Uint8Array): Promise<void> {
  const { bucket, key, contentType } = target;
  await s3.send({
    method: 'PUT',
    bucket,
    key,
    headers: { 'content-type': contentType, [CRC32_HEADER]: crc32Of(body) },
    body,
  });
}

/** The stream in parts of `size` bytes, but the last, which may be shorter, or empty. */
async function* partsOf(chunks: AsyncIterable<string | Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    held.push(Buffer.from(chunk));
    bytes += held.at(-1)!.length;
    while (bytes >= size) {
      const joined = held.length === 1 ? held[0]! : Buffer.concat(held, bytes);
      yield joined.subarray(0, size);
      held = [joined.subarray(size)];
      bytes -= size;
    }
  }
  yield Buffer.concat(held, bytes);
}

/** One multipart upload: each part with its CRC32 (the upload is begun as a CRC32 one), then the list of them. */
class MultipartUpload {
  private readonly parts: UploadedPart[] = [];

  private constructor(
    private readonly s3: S3RestClient,
    private readonly target: UploadTarget,
    private readonly uploadId: string,
  ) {}

  static async begin(s3: S3RestClient, target: UploadTarget): Promise<MultipartUpload> {
    const { bucket, key, contentType } = target;
    const answer = await s3.sendForXml({
      method: 'POST',
      bucket,
      key,
      query: { uploads: '' },
      headers: { 'content-type': contentType, 'x-amz-checksum-algorithm': 'CRC32' },
    });
    const uploadId = answer.text('UploadId');
    if (!uploadId) throw new Error(`S3 began the multipart upload of ${key} without an UploadId`);
    return new MultipartUpload(s3, target, uploadId);
  }

  async add(body: Buffer): Promise<void> {
    const number = this.parts.length + 1;
    const checksum = crc32Of(body);
    const { etag: eTag } = await this.s3.send({
      ...this.request('PUT', { partNumber: String(number) }),
      headers: { [CRC32_HEADER]: checksum },
      body,
    });
    if (!eTag) throw new Error(`S3 took part ${number} of ${this.target.key} without an ETag`);
    this.parts.push({ number, eTag, crc32: checksum });
  }

  async complete(): Promise<void> {
    const parts = this.parts.map(
      ({ number, eTag, crc32 }) =>
        `<Part><PartNumber>${number}</PartNumber><ETag>${escapedXml(eTag)}</ETag><ChecksumCRC32>${crc32}</ChecksumCRC32></Part>`,
    );
    await this.s3.sendForXml({
      ...this.request('POST'),
      headers: { 'content-type': 'application/xml' },
      body: `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.join('')}</CompleteMultipartUpload>`,
    });
  }

  async abort(): Promise<void> {
    await this.s3.send(this.request('DELETE'));
  }

  private request(method: 'PUT' | 'POST' | 'DELETE', query: Record<string, string> = {}) {
    return { method, bucket: this.target.bucket, key: this.target.key, query: { ...query, uploadId: this.uploadId } };
  }
}

/**
 * Uploads the stream as it comes, holding about one part in memory: in a single PUT when it ends within the first
 * part, else as a multipart upload of parts sent one after the other. A multipart upload that fails (a part, the
 * completion, or the stream itself) is aborted; should the abort fail too, the bucket's lifecycle rule removes
 * the upload a day later.
 */
export async function uploadStream(
  s3: S3RestClient,
  target: UploadTarget,
  chunks: AsyncIterable<string | Uint8Array>,
): Promise<void> {
  let upload: MultipartUpload | undefined;
  try {
    for await (const part of partsOf(chunks, PART_BYTES)) {
      // Only the last part is short: a short first part is the whole stream.
      if (!upload && part.length < PART_BYTES) return await putObject(s3, target, part);
      upload ??= await MultipartUpload.begin(s3, target);
      if (part.length > 0) await upload.add(part);
    }
    await upload?.complete();
  } catch (error) {
    await upload?.abort().catch(() => undefined);
    throw error;
  }
}
