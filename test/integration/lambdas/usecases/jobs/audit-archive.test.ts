import { config } from '../../../../../lambdas/config';
import { auditArchive } from '../../../../../lambdas/usecases/jobs/audit-archive';
import { isolatedDeps } from '../../../../support/deps';
import { scheduledRun } from '../../../../support/job-runs';
import { carriesItsCrc32, recordS3Requests, type S3Recording } from '../../../../support/s3-requests';

type Deps = Awaited<ReturnType<typeof isolatedDeps>>;

/** DynamoDB Local takes about 100 ms a transaction. */
jest.setTimeout(30_000);

let deps: Deps;
let recording: S3Recording;

beforeAll(async () => {
  deps = await isolatedDeps({ now: new Date('2031-05-03T23:59:59Z') });
});

beforeEach(() => {
  recording = recordS3Requests();
});

afterEach(() => recording.stop());

/** An object of the audit archive bucket as text, read through a download link as anyone would. */
async function archived(key: string): Promise<string> {
  const answer = await fetch(await deps.objects.presignDownload(key, 60, 'auditArchive'));
  expect(answer.status).toBe(200);
  return answer.text();
}

/**
 * What only S3 proves of the archive: where its requests go and that each carries a checksum. What the file holds is
 * the unit suite's (test/unit/lambdas/usecases/jobs/audit-archive.test.ts).
 */
describe('audit archive against the embedded S3', () => {
  test('the archive is written to the audit archive bucket alone, each request with a checksum, as Object Lock asks', async () => {
    await auditArchive(deps, scheduledRun('audit-archive', '2031-07-02T00:30:00Z'));
    const writes = recording.sent.filter(({ method }) => method === 'PUT');
    expect(writes.map(({ bucket }) => bucket)).toEqual([config.auditArchiveBucketName()]);
    expect(writes.filter((request) => !carriesItsCrc32(request))).toEqual([]);
  });

  test('a file of several parts is uploaded with a checksum of every part', async () => {
    // 6 MB of lines: more than one 5 MB part.
    async function* bigLines() {
      for (let n = 0; n < 60_000; n++) yield `${JSON.stringify({ n, padding: 'x'.repeat(80) })}\n`;
    }
    await deps.objects.writeStream('audit-log/test/parts.ndjson', bigLines(), 'application/x-ndjson', 'auditArchive');
    // One upload begun (as a CRC32 one) and completed.
    const posts = recording.sent.filter(({ method }) => method === 'POST');
    expect(posts.map(({ query = {} }) => Object.keys(query))).toEqual([['uploads'], ['uploadId']]);
    expect(posts[0]!.headers).toMatchObject({ 'x-amz-checksum-algorithm': 'CRC32' });
    const parts = recording.sent.filter(({ query = {} }) => 'partNumber' in query);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.filter((part) => !carriesItsCrc32(part))).toEqual([]);
    expect((await archived('audit-log/test/parts.ndjson')).length).toBeGreaterThan(5 * 1024 * 1024);
  });
});
