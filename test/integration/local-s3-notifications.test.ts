import { CopyObjectCommand, CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Event } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { FunctionName } from '../../lambdas/functions';
import { bootstrapBuckets } from '../../local/bootstrap';
import { startFauxqsEmulator, type Fauxqs } from '../../local/fauxqs';
import type { InvokeFunction } from '../../local/lambda-runtime';
import { startS3Notifications, type S3Notifications } from '../../local/s3-notifications';
import { waitUntil } from './local-wait';

const MIB = 1024 * 1024;
const ACCESS_KEY = 'AKIALOCALNOTIFYTEST1';

const invoke = jest.fn<Promise<unknown>, [FunctionName, S3Event, string]>();
let fauxqs: Fauxqs;
let notifications: S3Notifications;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  fauxqs = await startFauxqsEmulator({ port: 0 });
  ({ bucket } = await bootstrapBuckets(fauxqs.endpoint));
  notifications = startS3Notifications({ fauxqs, bucket, invoke: invoke as unknown as InvokeFunction });
  s3 = new S3Client({
    endpoint: fauxqs.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'local-secret' },
  });
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
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 });
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
    await new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: body }, partSize: 5 * MIB }).done();

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
