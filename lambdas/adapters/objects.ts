import {
  ChecksumAlgorithm,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { config } from '../config';
import type { BatchInput } from '../domain/batch';
import { ObjectChanged, type ObjectInfo, type ObjectStore, type StoreBucket } from '../ports/objects';
import { presigningS3, s3 } from './clients';

const PINNED_OBJECT_GONE = new Set(['PreconditionFailed', 'NoSuchVersion']);

/** The S3 adapter: each bucket's name, read when it is first used (a function never given a bucket never asks). */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly buckets: Readonly<Record<StoreBucket, () => string>>) {}

  private get registry(): string {
    return this.buckets.registry();
  }

  async info(key: string, versionId?: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await s3().send(new HeadObjectCommand({ Bucket: this.registry, Key: key, VersionId: versionId }));
      return {
        size: head.ContentLength ?? 0,
        eTag: head.ETag ?? '',
        ...(head.VersionId && { versionId: head.VersionId }),
        metadata: head.Metadata ?? {},
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'NotFound' || error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  /**
   * Nothing is held in memory beyond the chunk in hand. With `pin`, its version where the bucket keeps versions,
   * and in any case only while its ETag matches, so a store that keeps no versions never hands out bytes written
   * since.
   */
  async read(key: string, pin?: BatchInput): Promise<AsyncIterable<Uint8Array>> {
    try {
      const { Body } = await s3().send(
        new GetObjectCommand({
          Bucket: this.registry,
          Key: key,
          ...(pin && { VersionId: pin.versionId, IfMatch: pin.eTag }),
        }),
      );
      if (!Body) throw new Error(`Object ${key} has no body`);
      return Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (pin && PINNED_OBJECT_GONE.has((error as { name?: string }).name ?? '')) throw new ObjectChanged(key);
      throw error;
    }
  }

  async delete(key: string, versionId?: string): Promise<void> {
    await s3().send(new DeleteObjectCommand({ Bucket: this.registry, Key: key, VersionId: versionId }));
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      const { Body } = await s3().send(new GetObjectCommand({ Bucket: this.registry, Key: key }));
      return Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async write(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await s3().send(new PutObjectCommand({ Bucket: this.registry, Key: key, Body: body, ContentType: contentType }));
  }

  /**
   * A multipart upload. Every request carries a checksum of what it sends, whatever the SDK is configured to add:
   * S3 checks each part and the whole, and a bucket with Object Lock (the audit archive) refuses a write without one.
   */
  async writeStream(
    key: string,
    lines: AsyncIterable<string>,
    contentType: string,
    bucket: StoreBucket = 'registry',
  ): Promise<void> {
    const upload = new Upload({
      client: s3(),
      params: {
        Bucket: this.buckets[bucket](),
        Key: key,
        Body: Readable.from(lines),
        ContentType: contentType,
        ChecksumAlgorithm: ChecksumAlgorithm.CRC32,
      },
    });
    await upload.done();
  }

  presignUpload(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(presigningS3(), new PutObjectCommand({ Bucket: this.registry, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  presignDownload(key: string, expiresInSeconds: number, bucket: StoreBucket = 'registry'): Promise<string> {
    return getSignedUrl(presigningS3(), new GetObjectCommand({ Bucket: this.buckets[bucket](), Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}

/** The buckets the functions' configuration names. */
export const CONFIGURED_BUCKETS: Readonly<Record<StoreBucket, () => string>> = {
  registry: config.bucketName,
  auditArchive: config.auditArchiveBucketName,
};
