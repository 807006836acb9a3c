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
import { presigningS3, s3 } from './clients';

/**
 * The registry bucket (batch inputs and results, job files, audits) and the audit archive bucket, which only the
 * archive job writes. Everything but streaming and download links is the registry bucket's alone.
 */
export type StoreBucket = 'registry' | 'auditArchive';

const bucketName = (bucket: StoreBucket): string =>
  bucket === 'auditArchive' ? config.auditArchiveBucketName() : config.bucketName();

export interface ObjectInfo extends BatchInput {
  metadata: Record<string, string>;
}

/** What HEAD tells of the object, or of one version of it; undefined when there is none. */
export async function objectInfo(key: string, versionId?: string): Promise<ObjectInfo | undefined> {
  try {
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: config.bucketName(), Key: key, VersionId: versionId }),
    );
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

/** The object a read was pinned to is no longer there to read: replaced, or that version removed. */
export class ObjectChanged extends Error {
  constructor(readonly key: string) {
    super(`The pinned object ${key} can no longer be read`);
    this.name = 'ObjectChanged';
  }
}

const PINNED_OBJECT_GONE = new Set(['PreconditionFailed', 'NoSuchVersion']);

/**
 * The object's bytes as a stream: nothing is held in memory beyond the chunk in hand. With `pin`, only that
 * object: its version where the bucket keeps versions, and in any case only while its ETag matches
 * (`ObjectChanged` otherwise), so a store that keeps no versions never hands out bytes written since.
 */
export async function readObject(key: string, pin?: BatchInput): Promise<AsyncIterable<Uint8Array>> {
  try {
    const { Body } = await s3().send(
      new GetObjectCommand({
        Bucket: config.bucketName(),
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

/** Removes the object, or only that version of it where the bucket keeps versions. */
export async function deleteObject(key: string, versionId?: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: config.bucketName(), Key: key, VersionId: versionId }));
}

export async function readObjectText(key: string): Promise<string | undefined> {
  try {
    const { Body } = await s3().send(new GetObjectCommand({ Bucket: config.bucketName(), Key: key }));
    return Body?.transformToString('utf8');
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

export async function writeObject(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({ Bucket: config.bucketName(), Key: key, Body: body, ContentType: contentType }),
  );
}

/**
 * Streams text to an object with a multipart upload, so a large results file never sits in memory. Every request
 * carries a checksum of what it sends, whatever the SDK is configured to add: S3 checks each part and the whole,
 * and a bucket with Object Lock (the audit archive) refuses a write without one.
 */
export async function streamToObject(
  key: string,
  lines: AsyncIterable<string>,
  contentType: string,
  bucket: StoreBucket = 'registry',
): Promise<void> {
  const upload = new Upload({
    client: s3(),
    params: {
      Bucket: bucketName(bucket),
      Key: key,
      Body: Readable.from(lines),
      ContentType: contentType,
      ChecksumAlgorithm: ChecksumAlgorithm.CRC32,
    },
  });
  await upload.done();
}

export const presignUpload = (key: string, expiresInSeconds: number) =>
  getSignedUrl(presigningS3(), new PutObjectCommand({ Bucket: config.bucketName(), Key: key }), {
    expiresIn: expiresInSeconds,
  });

export const presignDownload = (key: string, expiresInSeconds: number, bucket: StoreBucket = 'registry') =>
  getSignedUrl(presigningS3(), new GetObjectCommand({ Bucket: bucketName(bucket), Key: key }), {
    expiresIn: expiresInSeconds,
  });
