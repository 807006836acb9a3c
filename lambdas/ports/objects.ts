import type { BatchInput } from '../domain/batch';

/**
 * The registry bucket (batch inputs and results, job files, audits) and the audit archive bucket, which only the
 * archive job writes. Everything but streaming and download links is the registry bucket's alone.
 */
export type StoreBucket = 'registry' | 'auditArchive';

/** What the store tells of an object: its size, ETag, version (where kept) and metadata. */
export interface ObjectInfo extends BatchInput {
  metadata: Record<string, string>;
}

/** The object a read was pinned to is no longer there to read: replaced, or that version removed. */
export class ObjectChanged extends Error {
  constructor(readonly key: string) {
    super(`The pinned object ${key} can no longer be read`);
    this.name = 'ObjectChanged';
  }
}

/** Objects by key: files uploaded, job inputs and results, archives. */
export interface ObjectStore {
  /** What there is to tell of the object, or of one version of it; undefined when there is none. */
  info(key: string, versionId?: string): Promise<ObjectInfo | undefined>;
  /**
   * The object's bytes as a stream. With `pin`, only that object (its version, while its ETag matches):
   * `ObjectChanged` otherwise.
   */
  read(key: string, pin?: BatchInput): Promise<AsyncIterable<Uint8Array>>;
  /** The object's text, or undefined when there is none. */
  readText(key: string): Promise<string | undefined>;
  write(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes the lines as they come, so a large file never sits in memory. */
  writeStream(key: string, lines: AsyncIterable<string>, contentType: string, bucket?: StoreBucket): Promise<void>;
  /** Removes the object, or only that version of it. */
  delete(key: string, versionId?: string): Promise<void>;
  /** A link that uploads the object with a PUT, for `expiresInSeconds`. */
  presignUpload(key: string, expiresInSeconds: number): Promise<string>;
  /** A link that downloads the object, for `expiresInSeconds`. */
  presignDownload(key: string, expiresInSeconds: number, bucket?: StoreBucket): Promise<string>;
}
