import { text } from 'node:stream/consumers';
import { config } from '../config';
import type { BatchInput } from '../domain/batch';
import { ObjectChanged, type ObjectInfo, type ObjectStore, type StoreBucket } from '../ports/objects';
import { s3 } from './clients';
import { S3Error } from './s3/errors';
import type { S3Headers, S3RestClient } from './s3/rest-client';
import { putObject, uploadStream } from './s3/uploads';

const PINNED_OBJECT_GONE = ['PreconditionFailed', 'NoSuchVersion'];
const METADATA_PREFIX = 'x-amz-meta-';

const isS3Error = (error: unknown, names: readonly string[]): boolean =>
  error instanceof S3Error && names.includes(error.name);

const versionQuery = (versionId: string | undefined): Record<string, string> => (versionId ? { versionId } : {});

function infoOf(headers: S3Headers): ObjectInfo {
  const versionId = headers['x-amz-version-id'];
  return {
    size: Number(headers['content-length'] ?? 0),
    eTag: headers.etag ?? '',
    ...(versionId && { versionId }),
    metadata: Object.fromEntries(
      Object.entries(headers)
        .filter(([name]) => name.startsWith(METADATA_PREFIX))
        .map(([name, value]) => [name.slice(METADATA_PREFIX.length), value ?? '']),
    ),
  };
}

/**
 * The S3 adapter, on S3's REST API (`s3/`): each bucket's name, and the client, made when first used (a function
 * never given a bucket never asks).
 */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly buckets: Readonly<Record<StoreBucket, () => string>>,
    private readonly client: () => S3RestClient = s3,
  ) {}

  private get registry(): string {
    return this.buckets.registry();
  }

  async info(key: string, versionId?: string): Promise<ObjectInfo | undefined> {
    try {
      const headers = await this.client().send({
        method: 'HEAD',
        bucket: this.registry,
        key,
        query: versionQuery(versionId),
      });
      return infoOf(headers);
    } catch (error) {
      if (error instanceof S3Error && error.status === 404) return undefined;
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
      const { body } = await this.client().open({
        method: 'GET',
        bucket: this.registry,
        key,
        query: versionQuery(pin?.versionId),
        headers: pin ? { 'if-match': pin.eTag } : {},
      });
      return body;
    } catch (error) {
      if (pin && isS3Error(error, PINNED_OBJECT_GONE)) throw new ObjectChanged(key);
      throw error;
    }
  }

  async delete(key: string, versionId?: string): Promise<void> {
    await this.client().send({ method: 'DELETE', bucket: this.registry, key, query: versionQuery(versionId) });
  }

  async readText(key: string): Promise<string | undefined> {
    try {
      const { body } = await this.client().open({ method: 'GET', bucket: this.registry, key });
      return await text(body);
    } catch (error) {
      if (isS3Error(error, ['NoSuchKey'])) return undefined;
      throw error;
    }
  }

  async write(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await putObject(this.client(), { bucket: this.registry, key, contentType }, body);
  }

  /** Streams the lines up as they come (`uploadStream`), to either bucket. */
  async writeStream(
    key: string,
    lines: AsyncIterable<string>,
    contentType: string,
    bucket: StoreBucket = 'registry',
  ): Promise<void> {
    await uploadStream(this.client(), { bucket: this.buckets[bucket](), key, contentType }, lines);
  }

  /**
   * The URLs carry no checksum: one signed into an upload URL would be the checksum of the empty body it was signed
   * with, which no real file matches; a download URL would ask for a checksum mode the downloader never chose.
   */
  presignUpload(key: string, expiresInSeconds: number): Promise<string> {
    return this.client().presign({ method: 'PUT', bucket: this.registry, key }, expiresInSeconds);
  }

  presignDownload(key: string, expiresInSeconds: number, bucket: StoreBucket = 'registry'): Promise<string> {
    return this.client().presign({ method: 'GET', bucket: this.buckets[bucket](), key }, expiresInSeconds);
  }
}

/** The buckets the functions' configuration names. */
export const CONFIGURED_BUCKETS: Readonly<Record<StoreBucket, () => string>> = {
  registry: config.bucketName,
  auditArchive: config.auditArchiveBucketName,
};
