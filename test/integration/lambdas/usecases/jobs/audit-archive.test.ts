import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { s3 } from '../../../../../lambdas/adapters/clients';
import { config } from '../../../../../lambdas/config';
import { auditArchive } from '../../../../../lambdas/usecases/jobs/audit-archive';
import { isolatedDeps } from '../../../../support/deps';
import { scheduledRun } from '../../../../support/job-runs';

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;

/** DynamoDB Local takes about 100 ms a transaction. */
jest.setTimeout(30_000);

/** A request the functions' S3 client sent: its command, bucket and headers. */
interface SentRequest {
  command: string;
  bucket: string;
  headers: Record<string, string>;
}

const CHECKSUM_SETTING = 'AWS_REQUEST_CHECKSUM_CALCULATION';
let deps: Deps;
let sent: SentRequest[];
const reader = new S3Client({ forcePathStyle: true });

beforeAll(async () => {
  deps = await isolatedDeps({ now: new Date('2031-05-03T23:59:59Z') });
  // The SDK adds no checksum of its own where S3 does not require one: every one sent is the writer's own.
  process.env[CHECKSUM_SETTING] = 'WHEN_REQUIRED';
  sent = [];
  s3().middlewareStack.add(
    (next, context) => async (args) => {
      const { headers } = args.request as { headers: Record<string, string> };
      const { Bucket } = args.input as { Bucket: string };
      sent.push({ command: context.commandName ?? '', bucket: Bucket, headers: { ...headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordSentRequests' },
  );
});

afterAll(() => {
  delete process.env[CHECKSUM_SETTING];
  reader.destroy();
});

/** An object of the audit archive bucket as text; undefined when there is none. */
async function archived(key: string): Promise<string | undefined> {
  try {
    const { Body } = await reader.send(new GetObjectCommand({ Bucket: config.auditArchiveBucketName(), Key: key }));
    return Body!.transformToString('utf8');
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** Whether a request carries a CRC32 of its body, in a header or announced as a trailer. */
const carriesChecksum = ({ headers }: SentRequest) =>
  headers['x-amz-checksum-crc32'] !== undefined || /x-amz-checksum-crc32/.test(headers['x-amz-trailer'] ?? '');

/**
 * What only S3 proves of the archive: where its requests go and that each carries a checksum. What the file holds is
 * the unit suite's (test/unit/lambdas/usecases/jobs/audit-archive.test.ts).
 */
describe('audit archive against the embedded S3', () => {
  test('the archive is written to the audit archive bucket alone, each request with a checksum, as Object Lock asks', async () => {
    sent.length = 0;
    await auditArchive(deps, scheduledRun('audit-archive', '2031-07-02T00:30:00Z'));
    const writes = sent.filter(({ command }) => command === 'PutObjectCommand');
    expect(writes.map(({ bucket }) => bucket)).toEqual([config.auditArchiveBucketName()]);
    expect(writes.filter((request) => !carriesChecksum(request))).toEqual([]);
  });

  test('a file of several parts is uploaded with a checksum of every part', async () => {
    // 6 MB of lines: more than one 5 MB part.
    async function* bigLines() {
      for (let n = 0; n < 60_000; n++) yield `${JSON.stringify({ n, padding: 'x'.repeat(80) })}\n`;
    }
    sent.length = 0;
    await deps.objects.writeStream('audit-log/test/parts.ndjson', bigLines(), 'application/x-ndjson', 'auditArchive');
    const [created, ...others] = sent.filter(({ command }) => command === 'CreateMultipartUploadCommand');
    expect(others).toEqual([]);
    expect(created!.headers['x-amz-checksum-algorithm']).toBe('CRC32');
    const parts = sent.filter(({ command }) => command === 'UploadPartCommand');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.filter((part) => !carriesChecksum(part))).toEqual([]);
    expect((await archived('audit-log/test/parts.ndjson'))!.length).toBeGreaterThan(5 * 1024 * 1024);
  });
});
