import { createHash } from 'node:crypto';
import { CONFIGURED_BUCKETS, S3ObjectStore } from '../../../../lambdas/adapters/objects';
import { s3 } from '../../../../lambdas/adapters/clients';
import { config } from '../../../../lambdas/config';
import { objectStoreContract } from '../../../support/port-contracts/object-store';
import { uniqueName } from '../../../support/port-contracts/fixtures';
import { carriesItsCrc32, crc32Base64, recordS3Requests, type S3Recording } from '../../../support/s3-requests';

describe('the S3 object store against the embedded S3', () => {
  objectStoreContract(async () => new S3ObjectStore(CONFIGURED_BUCKETS));
});

const MIB = 1024 * 1024;
const objects = new S3ObjectStore(CONFIGURED_BUCKETS);
let recording: S3Recording;

beforeEach(() => {
  recording = recordS3Requests();
});
afterEach(() => recording.stop());

async function* linesOf(bytes: number) {
  for (let sent = 0; sent < bytes; sent += 1024) yield `${String(sent).padStart(1023, '-')}\n`;
}

const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

/** The checksum S3 keeps with the object (asked for with `x-amz-checksum-mode`). */
async function storedCrc32(bucket: string, key: string): Promise<string | undefined> {
  const headers = await s3().send({ method: 'HEAD', bucket, key, headers: { 'x-amz-checksum-mode': 'ENABLED' } });
  return headers['x-amz-checksum-crc32'];
}

/** The operations sent, by method and what the query names. */
const operations = () =>
  recording.sent.map(({ method, query = {} }) => [method, ...Object.keys(query).sort()].join(' '));

describe('what only S3 shows of the store', () => {
  test('a write carries its CRC32, which S3 keeps with the object', async () => {
    const key = `${uniqueName('s3/write')}.csv`;
    await objects.write(key, 'a,b\n1,2\n', 'text/csv');
    expect(recording.sent.filter(carriesItsCrc32)).toHaveLength(1);
    expect(await storedCrc32(config.bucketName(), key)).toBe(crc32Base64('a,b\n1,2\n'));
  });

  test('a stream over 5 MiB goes up in parts, each with its CRC32, and is read back equal', async () => {
    const key = `${uniqueName('s3/multipart')}.csv`;
    await objects.writeStream(key, linesOf(6 * MIB), 'text/csv');

    expect(operations()).toEqual([
      'POST uploads',
      'PUT partNumber uploadId',
      'PUT partNumber uploadId',
      'POST uploadId',
    ]);
    const parts = recording.sent.filter(({ query = {} }) => 'partNumber' in query);
    expect(parts.filter(carriesItsCrc32)).toHaveLength(2);
    const info = (await objects.info(key))!;
    expect(info).toMatchObject({ size: 6 * MIB, eTag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) });
    const read: Buffer[] = [];
    for await (const chunk of await objects.read(key, info)) read.push(Buffer.from(chunk));
    const written: Buffer[] = [];
    for await (const line of linesOf(6 * MIB)) written.push(Buffer.from(line));
    expect(md5(Buffer.concat(read))).toBe(md5(Buffer.concat(written)));
  });

  test('the audit archive bucket (Object Lock on AWS) takes a stream with its checksum', async () => {
    const key = `audit-log/${uniqueName('s3')}.ndjson`;
    await objects.writeStream(key, linesOf(4096), 'application/x-ndjson', 'auditArchive');

    expect(recording.sent.map(({ method, bucket }) => [method, bucket])).toEqual([
      ['PUT', config.auditArchiveBucketName()],
    ]);
    expect(recording.sent.filter(carriesItsCrc32)).toHaveLength(1);
    const body = Buffer.from(recording.sent[0]!.body!);
    expect(await storedCrc32(config.auditArchiveBucketName(), key)).toBe(crc32Base64(body));
    const download = await fetch(await objects.presignDownload(key, 60, 'auditArchive'));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(body);
  });

  test('a pinned read of an object replaced since is ObjectChanged, an unpinned one reads the new bytes', async () => {
    const key = `${uniqueName('s3/pinned')}.csv`;
    await objects.write(key, 'first', 'text/csv');
    const pin = (await objects.info(key))!;
    await objects.write(key, 'second', 'text/csv');

    await expect(objects.read(key, pin)).rejects.toMatchObject({ name: 'ObjectChanged' });
    expect(await objects.readText(key)).toBe('second');
  });

  test('a presigned PUT then a presigned GET, with plain fetch, carry a file whose key needs encoding', async () => {
    const key = `${uniqueName('uploads/s3')} (copy)+ü.csv`;
    const body = Buffer.from('name,type\r\nAnn & Bob,100%\r\n');
    const upload = await fetch(await objects.presignUpload(key, 60), { method: 'PUT', body });
    expect(upload.status).toBe(200);

    const download = await fetch(await objects.presignDownload(key, 60));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(body);
    expect(await objects.info(key)).toMatchObject({ size: body.length });
  });

  test('info tells the metadata the object was stored with', async () => {
    const key = `${uniqueName('drop/s3')}.csv`;
    await s3().send({
      method: 'PUT',
      bucket: config.bucketName(),
      key,
      headers: { 'x-amz-meta-partner': 'acme' },
      body: 'x',
    });
    expect((await objects.info(key))!.metadata).toEqual({ partner: 'acme' });
  });

  test("S3's refusal is an error named by its code", async () => {
    const nowhere = new S3ObjectStore({ registry: () => 'no-such-bucket', auditArchive: () => 'no-such-bucket' });
    await expect(nowhere.readText('x.csv')).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: expect.stringMatching(/^The specified bucket does not exist.* \(HTTP 404\)$/),
    });
  });
});
