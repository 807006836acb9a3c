import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3RestClient } from '../../../../lambdas/adapters/s3/rest-client';
import { uploadStream } from '../../../../lambdas/adapters/s3/uploads';
import type { FunctionName } from '../../../../system/functions';
import { bootstrapBuckets } from '../../../../local/emulators/bootstrap';
import { startFauxqsEmulator, type Fauxqs } from '../../../../local/emulators/fauxqs';
import type { InvokeFunction } from '../../../../local/stack/lambda-runtime';
import { startS3Notifications, type S3Notifications } from '../../../../local/events/s3-notifications';
import { waitUntil } from '../../support/wait';

const MIB = 1024 * 1024;
const ACCESS_KEY = 'AKIALOCALNOTIFYTEST1';
const CREDENTIALS = { accessKeyId: ACCESS_KEY, secretAccessKey: 'local-secret' };

const invoke = jest.fn<Promise<unknown>, [FunctionName, S3Event, string]>();
let fauxqs: Fauxqs;
let notifications: S3Notifications;
let s3: S3Client;
/** The registry's own S3 client: it signs the presigned URLs and streams multipart uploads. */
let rest: S3RestClient;
let bucket: string;

beforeAll(async () => {
  fauxqs = await startFauxqsEmulator({ port: 0 });
  ({ bucket } = await bootstrapBuckets(fauxqs.endpoint));
  notifications = startS3Notifications({ fauxqs, bucket, invoke: invoke as unknown as InvokeFunction });
  s3 = new S3Client({
    endpoint: fauxqs.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });
  rest = new S3RestClient({ endpoint: fauxqs.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
});

afterAll(async () => {
  // Stopping drops the retry the last test's failure scheduled, and says so.
  const dropped = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  await notifications.stop();
  dropped.mockRestore();
  s3.destroy();
  await fauxqs.stop();
});

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue(undefined);
});

const decodedKey = (event: S3Event) => decodeURIComponent(event.Records[0]!.s3.object.key.replace(/\+/g, ' '));
const eventsAbout = (key: string) => invoke.mock.calls.filter(([, event]) => decodedKey(event) === key);
const md5 = (body: Buffer) => createHash('md5').update(body).digest('hex');

/** The one event about `key`, once it has arrived (failing if another one follows it at once). */
async function onlyEventAbout(key: string): Promise<{ name: FunctionName; event: S3Event }> {
  await waitUntil(`an event about ${key} arrives`, () => eventsAbout(key).length > 0);
  expect(eventsAbout(key)).toHaveLength(1);
  const [name, event] = eventsAbout(key)[0]!;
  return { name, event };
}

describe('S3 event notifications of the registry bucket', () => {
  it('send a presigned PUT (plain HTTP, beyond fauxqs’s own 11 MiB body limit) to the splitter as a real S3Event', async () => {
    const key = 'uploads/batch 01 (copy)+ü.csv';
    const body = Buffer.alloc(12 * MIB, 'a,b\n');
    const url = await rest.presign({ method: 'PUT', bucket, key }, 60);
    const response = await fetch(url, { method: 'PUT', body });
    expect(response.status).toBe(200);

    const { name, event } = await onlyEventAbout(key);
    expect(name).toBe('batchSplitter');
    expect(event).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: `AWS:${ACCESS_KEY}` },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': response.headers.get('x-amz-request-id'), 'x-amz-id-2': 'fauxqs' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'prism-local-batchSplitter',
            bucket: { name: bucket, ownerIdentity: { principalId: '000000000000' }, arn: `arn:aws:s3:::${bucket}` },
            object: {
              key: 'uploads/batch+01+%28copy%29%2B%C3%BC.csv',
              size: body.length,
              eTag: md5(body),
              sequencer: expect.stringMatching(/^[0-9A-F]{16,}$/),
            },
          },
        },
      ],
    });
  });

  it('send a PutObject under drop/ as ObjectCreated:Put, with sequencers that grow', async () => {
    const key = 'drop/partners.csv';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'name\nfirst\n' }));
    const first = (await onlyEventAbout(key)).event.Records[0]!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'name\nsecond, longer\n' }));
    await waitUntil('the second event arrives', () => eventsAbout(key).length === 2);
    const second = eventsAbout(key)[1]![1].Records[0]!;

    expect(first).toMatchObject({ eventName: 'ObjectCreated:Put', s3: { object: { key, size: 11 } } });
    expect(second.s3.object.size).toBe(20);
    expect(second.s3.object.sequencer > first.s3.object.sequencer).toBe(true);
  });

  it('send a multipart upload once, on completion, as ObjectCreated:CompleteMultipartUpload', async () => {
    const key = 'uploads/multipart.csv';
    const body = Buffer.alloc(6 * MIB, 'x');
    await uploadStream(rest, { bucket, key, contentType: 'text/csv' }, Readable.from([body]));

    const { event } = await onlyEventAbout(key);
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      s3: { object: { key, size: body.length, eTag: expect.stringMatching(/^[0-9a-f]{32}-2$/) } },
    });
  });

  it('send a CopyObject into the bucket as ObjectCreated:Copy', async () => {
    const key = 'uploads/copied.csv';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/source.csv', Body: 'name\ncopied\n' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/elsewhere/source.csv` }));

    const { event } = await onlyEventAbout(key);
    expect(event.Records[0]).toMatchObject({ eventName: 'ObjectCreated:Copy', s3: { object: { key, size: 12 } } });
  });

  it('send nothing for keys outside the prefixes, nor for other buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'another-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'results/01.csv', Body: 'secret' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'upload/typo.csv', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'another-bucket', Key: 'uploads/other.csv', Body: 'x' }));
    // Events go out in the order the objects were created: once this one is in, the others would be too.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/marker.csv', Body: 'x' }));
    await onlyEventAbout('uploads/marker.csv');

    expect(invoke.mock.calls.map(([, event]) => decodedKey(event))).toEqual(['uploads/marker.csv']);
  });

  it('never hold up or fail the S3 answer, whatever the function does', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let finish: () => void = () => undefined;
    invoke.mockImplementationOnce(() => new Promise((resolve) => (finish = () => resolve(undefined))));
    invoke.mockRejectedValueOnce(new Error('splitter is broken'));

    const slow = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/slow.csv', Body: 'x' }));
    const failing = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'uploads/failing.csv', Body: 'x' }));
    await waitUntil('both functions have been invoked', () => invoke.mock.calls.length === 2);

    expect([slow.$metadata.httpStatusCode, failing.$metadata.httpStatusCode]).toEqual([200, 200]);
    expect(logged.mock.calls.flat().map(String).join(' ')).toContain('s3://prism-registry-local/uploads/failing.csv');
    finish();
    logged.mockRestore();
  });
});

/** Bytes no form or JSON parser would give back: separators, percent signs, a NUL and bytes that are not UTF-8. */
const PARSER_BAIT = Buffer.concat([
  Buffer.from('Name,Type\r\nAnn & Bob=Co,100%+ {"a":1}\r\n%zz\0'),
  Buffer.from([0xff, 0xfe, 0x80]),
]);
const FORM = 'application/x-www-form-urlencoded';

/** The object as a GET returns it: its bytes and its `Content-Type`. */
async function storedObject(key: string): Promise<{ body: Buffer; contentType: string | undefined }> {
  const { Body, ContentType } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await Body!.transformToByteArray()), contentType: ContentType };
}

/** A presigned PUT of `body`, sending `contentType` (none when undefined), as curl or Python's urllib would. */
async function presignedPut(key: string, body: Buffer, contentType: string | undefined): Promise<number> {
  const url = await rest.presign({ method: 'PUT', bucket, key }, 60);
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  return (await fetch(url, { method: 'PUT', headers, body })).status;
}

describe('an upload, whatever its Content-Type, as S3 takes it', () => {
  it.each([
    FORM,
    `${FORM}; charset=utf-8`,
    'application/x-amz-json-1.0',
    'application/json',
    'text/plain',
    'text/csv',
    'application/octet-stream',
  ])('a presigned PUT sent as %s stores the exact bytes with that type, and is announced', async (contentType) => {
    const key = `uploads/typed/${contentType.replace(/\W+/g, '-')}.csv`;
    expect(await presignedPut(key, PARSER_BAIT, contentType)).toBe(200);

    expect(await storedObject(key)).toEqual({ body: PARSER_BAIT, contentType });
    const { event } = await onlyEventAbout(key);
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:Put',
      s3: { object: { key, size: PARSER_BAIT.length, eTag: md5(PARSER_BAIT) } },
    });
  });

  it.each([
    ['with no Content-Type (curl -T)', PARSER_BAIT, undefined],
    ['empty, with no Content-Type (curl -T of an empty file)', Buffer.alloc(0), undefined],
    ['with a Content-Type that is no media type', PARSER_BAIT, 'roster'],
  ])('a presigned PUT %s stores the exact bytes, and is announced', async (_, body, contentType) => {
    const key = `uploads/untyped-${body.length}-${contentType ?? 'none'}.csv`;
    expect(await presignedPut(key, body, contentType)).toBe(200);

    expect((await storedObject(key)).body).toEqual(body);
    const { event } = await onlyEventAbout(key);
    expect(event.Records[0]).toMatchObject({ s3: { object: { key, size: body.length, eTag: md5(body) } } });
  });

  it('a multipart upload whose parts are sent form-urlencoded is stored byte for byte, with the type it began with', async () => {
    const key = 'uploads/multipart-form.csv';
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/csv' }),
    );
    const parts = [Buffer.alloc(5 * MIB, PARSER_BAIT), PARSER_BAIT];
    const eTags: string[] = [];
    for (const [index, body] of parts.entries()) {
      const query = { uploadId: UploadId!, partNumber: String(index + 1) };
      const url = await rest.presign({ method: 'PUT', bucket, key, query }, 60);
      const answer = await fetch(url, { method: 'PUT', headers: { 'content-type': FORM }, body });
      expect(answer.status).toBe(200);
      eTags.push(answer.headers.get('etag')!);
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: eTags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );

    const stored = await storedObject(key);
    // Compared by digest: toEqual walks a 5 MiB buffer byte by byte for a minute.
    expect({ md5: md5(stored.body), contentType: stored.contentType }).toEqual({
      md5: md5(Buffer.concat(parts)),
      contentType: 'text/csv',
    });
    const { event } = await onlyEventAbout(key);
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:CompleteMultipartUpload',
      s3: { object: { key, size: 5 * MIB + PARSER_BAIT.length } },
    });
  });
});
