import { createHash } from 'node:crypto';
import { ObjectChanged, type ObjectInfo, type ObjectStore, type StoreBucket } from '../../../lambdas/ports';
import type { BatchInput } from '../../../lambdas/domain/batch';

interface StoredObject {
  body: Buffer;
  eTag: string;
  metadata: Record<string, string>;
}

/** Bytes handed out per chunk of a read: a file of any size arrives in several, as from S3. */
const CHUNK_BYTES = 16 * 1024;

/**
 * The registry and audit archive buckets in memory. Every
 * write of a key is kept, as the audit archive's versions are; reads see the latest. No version ids are handed out,
 * as the embedded bucket hands none: a pinned read holds to the ETag alone.
 */
export class MemoryObjectStore implements ObjectStore {
  private readonly buckets: Record<StoreBucket, Map<string, StoredObject[]>> = {
    registry: new Map(),
    auditArchive: new Map(),
  };

  async info(key: string, _versionId?: string): Promise<ObjectInfo | undefined> {
    await Promise.resolve();
    const found = this.latest('registry', key);
    return found && { size: found.body.length, eTag: found.eTag, metadata: { ...found.metadata } };
  }

  async read(key: string, pin?: BatchInput): Promise<AsyncIterable<Uint8Array>> {
    await Promise.resolve();
    const found = this.latest('registry', key);
    if (pin && found?.eTag !== pin.eTag) throw new ObjectChanged(key);
    if (!found) throw Object.assign(new Error(`No object ${key}`), { name: 'NoSuchKey' });
    return chunks(found.body);
  }

  async delete(key: string, _versionId?: string): Promise<void> {
    await Promise.resolve();
    this.buckets.registry.delete(key);
  }

  async readText(key: string): Promise<string | undefined> {
    return this.text(key);
  }

  async write(key: string, body: string | Uint8Array, _contentType: string): Promise<void> {
    await Promise.resolve();
    this.store('registry', key, Buffer.from(body));
  }

  async writeStream(
    key: string,
    lines: AsyncIterable<string>,
    _contentType: string,
    bucket: StoreBucket = 'registry',
  ): Promise<void> {
    const parts: Buffer[] = [];
    for await (const line of lines) parts.push(Buffer.from(line));
    this.store(bucket, key, Buffer.concat(parts));
  }

  presignUpload(key: string, expiresInSeconds: number): Promise<string> {
    return Promise.resolve(`memory://registry/${key}?upload&expires=${expiresInSeconds}`);
  }

  presignDownload(key: string, expiresInSeconds: number, bucket: StoreBucket = 'registry'): Promise<string> {
    return Promise.resolve(`memory://${bucket}/${key}?expires=${expiresInSeconds}`);
  }

  /** Puts an object as any S3 client may, with its user metadata (what `write` never sets). */
  put(key: string, body: string, metadata: Record<string, string> = {}): void {
    this.store('registry', key, Buffer.from(body), metadata);
  }

  /** The latest text at `key` in `bucket`; undefined when there is none. */
  text(key: string, bucket: StoreBucket = 'registry'): Promise<string | undefined> {
    return Promise.resolve(this.latest(bucket, key)?.body.toString('utf8'));
  }

  /** Every version written at `key`, oldest first. */
  versions(key: string, bucket: StoreBucket = 'registry'): string[] {
    return (this.buckets[bucket].get(key) ?? []).map((object) => object.body.toString('utf8'));
  }

  keys(bucket: StoreBucket = 'registry'): string[] {
    return [...this.buckets[bucket].keys()].sort();
  }

  private latest(bucket: StoreBucket, key: string): StoredObject | undefined {
    return this.buckets[bucket].get(key)?.at(-1);
  }

  private store(bucket: StoreBucket, key: string, body: Buffer, metadata: Record<string, string> = {}) {
    const eTag = `"${createHash('md5').update(body).digest('hex')}"`;
    const versions = this.buckets[bucket].get(key) ?? [];
    versions.push({ body, eTag, metadata });
    this.buckets[bucket].set(key, versions);
  }
}

async function* chunks(body: Buffer): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < body.length; start += CHUNK_BYTES) yield body.subarray(start, start + CHUNK_BYTES);
}
