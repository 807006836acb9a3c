import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { s3 } from '../../../../../lambdas/adapters/clients';
import { config } from '../../../../../lambdas/config';
import type { AuditEvent } from '../../../../../lambdas/domain/audit';
import { audit } from '../../../../../lambdas/usecases/audit';
import { registerDevice } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { auditArchive } from '../../../../../lambdas/usecases/jobs/audit-archive';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { AS_ADMIN } from '../../../../support/deps';
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

/** Appends an event of its own at `at`, as a job's start would. */
async function appendAt(at: string, targetId: string): Promise<AuditEvent> {
  deps.clock.now = new Date(at);
  const event = audit(deps, AS_ADMIN, 'job.started', targetId, { kind: 'invitation-audit' });
  await deps.auditLog.append(event);
  return event;
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEvent);

describe('audit archive', () => {
  test("archives exactly the previous UTC day's events, oldest first; a second run writes the same file", async () => {
    await appendAt('2031-05-03T23:59:59Z', 'day-before');

    deps.clock.now = new Date('2031-05-04T00:00:00Z');
    const { issued } = await issueInvitation(deps, { name: 'archived', type: 'read_only' }, { origin: AS_ADMIN });
    const id = issued.invitation.id;
    deps.clock.now = new Date('2031-05-04T06:00:00Z');
    const invitation = (await deps.store.lineage(id, 'device-archived'))!;
    await registerDevice(deps, invitation, { deviceId: 'device-archived', hostname: 'h', username: 'u' }, AS_ADMIN);
    const sameSecond: AuditEvent[] = [];
    for (let n = 0; n < 12; n++) sameSecond.push(await appendAt('2031-05-04T12:00:00Z', `burst-${n}`));
    deps.clock.now = new Date('2031-05-04T23:59:59Z');
    await revokeInvitation(deps, id, 'done', false, AS_ADMIN);

    await appendAt('2031-05-05T00:00:00Z', 'day-after');

    const [created, revoked] = await deps.auditLog.ofTarget(id);
    const [registered] = await deps.auditLog.ofTarget('device-archived');
    const expected = [created!, registered!, ...sameSecond, revoked!];

    const outcome = await auditArchive(deps, scheduledRun('audit-archive', '2031-05-05T00:30:00Z'));
    const key = 'audit-log/2031/05/04.ndjson';
    expect(outcome).toEqual({
      progress: { processed: 15, succeeded: 15, failed: 0 },
      summary: { day: '2031-05-04', events: 15 },
      resultKey: key,
    });
    const file = (await archived(key))!;
    expect(lines(file)).toEqual(expected);
    expect(file.endsWith('\n')).toBe(true);
    expect(await deps.objects.readText(key)).toBeUndefined();

    await auditArchive(deps, scheduledRun('audit-archive', '2031-05-05T00:30:00Z'));
    expect(await archived(key)).toBe(file);
  });

  test('a day without events gets an empty file', async () => {
    const outcome = await auditArchive(deps, scheduledRun('audit-archive', '2031-06-10T00:30:00Z'));
    expect(outcome.summary).toEqual({ day: '2031-06-09', events: 0 });
    expect(await archived('audit-log/2031/06/09.ndjson')).toBe('');
  });

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
