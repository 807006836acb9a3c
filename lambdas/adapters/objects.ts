import { GetObjectCommand, HeadObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { config } from '../config';
import { s3 } from './clients';

/** The registry bucket: batch inputs, results and (later) exports. */

export interface ObjectInfo {
  size: number;
  eTag: string;
  metadata: Record<string, string>;
}

export async function objectInfo(key: string): Promise<ObjectInfo | undefined> {
  try {
    const head = await s3().send(new HeadObjectCommand({ Bucket: config.bucketName(), Key: key }));
    return { size: head.ContentLength ?? 0, eTag: head.ETag ?? '', metadata: head.Metadata ?? {} };
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound' || error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** The object's bytes as a stream: nothing is held in memory beyond the chunk in hand. */
export async function readObject(key: string): Promise<AsyncIterable<Uint8Array>> {
  const { Body } = await s3().send(new GetObjectCommand({ Bucket: config.bucketName(), Key: key }));
  if (!Body) throw new Error(`Object ${key} has no body`);
  return Body as AsyncIterable<Uint8Array>;
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

/** Streams text to an object with a multipart upload, so a large results file never sits in memory. */
export async function streamToObject(key: string, lines: AsyncIterable<string>, contentType: string): Promise<void> {
  const upload = new Upload({
    client: s3(),
    params: { Bucket: config.bucketName(), Key: key, Body: Readable.from(lines), ContentType: contentType },
  });
  await upload.done();
}

export const presignUpload = (key: string, expiresInSeconds: number) =>
  getSignedUrl(s3(), new PutObjectCommand({ Bucket: config.bucketName(), Key: key }), { expiresIn: expiresInSeconds });

export const presignDownload = (key: string, expiresInSeconds: number) =>
  getSignedUrl(s3(), new GetObjectCommand({ Bucket: config.bucketName(), Key: key }), { expiresIn: expiresInSeconds });
