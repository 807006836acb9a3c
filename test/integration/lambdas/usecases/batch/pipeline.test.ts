import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { parse } from 'csv-parse/sync';
import { config } from '../../../../../lambdas/config';
import type { Batch, RowChunk, RowQueueMessage } from '../../../../../lambdas/domain/batch';
import { batchResults } from '../../../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import { classTemplate } from '../../../../support/class-template';
import { scanTable } from '../../../../support/table-scan';
import { ADMIN, AS_ADMIN, integrationDeps } from '../../../../support/deps';
import { type DriveOptions, drive } from '../../../../support/pipeline-driver';

jest.setTimeout(120_000);

const deps = integrationDeps();

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
const ended = (id: string) => async () => ['completed', 'failed'].includes((await batchNow(id)).state);

/** Starts a batch with an inline CSV, splits it as the S3 event would, and runs its rows through the worker. */
async function runBatch(csv: string, request = {}, drive_: DriveOptions = {}): Promise<Batch> {
  const { batch } = await startBatch(deps, { request, csv, source: 'api', origin: AS_ADMIN });
  const batchId = batch.id;
  await splitArrivedObject(deps, `uploads/${batchId}.csv`);
  await drive(batchId, ended(batchId), drive_);
  return batchNow(batchId);
}

const rowQueue = new SQSClient({ useQueueUrlAsEndpoint: false });
const putBack = (handle: string) =>
  rowQueue.send(
    new ChangeMessageVisibilityCommand({ QueueUrl: config.rowQueueUrl(), ReceiptHandle: handle, VisibilityTimeout: 0 }),
  );

/** Receives until the queue hands out no more chunks of `batchId`; other batches' messages go straight back. */
async function receiveAllOf(batchId: string) {
  const ours: { chunk: number; group: string; handle: string; message: RowChunk }[] = [];
  for (;;) {
    const { Messages = [] } = await rowQueue.send(
      new ReceiveMessageCommand({
        QueueUrl: config.rowQueueUrl(),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    const received = Messages.map((message) => ({
      message: JSON.parse(message.Body!) as RowQueueMessage,
      group: message.Attributes!.MessageGroupId!,
      handle: message.ReceiptHandle!,
    }));
    const mine = received.filter(({ message }) => message.batchId === batchId && message.kind === 'rows');
    for (const other of received.filter((entry) => !mine.includes(entry))) await putBack(other.handle);
    if (mine.length === 0) return ours;
    for (const { message, group, handle } of mine) {
      const chunk = message as RowChunk;
      ours.push({ chunk: chunk.chunk, group, handle, message: chunk });
    }
  }
}

async function resultRows(batch: Batch): Promise<Record<string, string>[]> {
  const answer = await batchResults(deps, batch);
  if (!('csv' in answer)) throw new Error('expected inline results');
  return parse(answer.csv, { columns: true, bom: true });
}

describe('batch pipeline against DynamoDB Local and the emulated S3 and SQS', () => {
  test("500 rows of the seeds' class template: 500 Success rows in input order, readable as their scripts read them", async () => {
    const batch = await runBatch(classTemplate(500), {
      includeEncoded: true,
      s3ConfigPath: 's3://university/cs101/config',
    });
    expect(batch).toMatchObject({ state: 'completed', total: 500, succeeded: 500, failed: 0 });
    const rows = await resultRows(batch);
    expect(rows).toHaveLength(500);
    rows.forEach((row, n) => {
      expect(row).toMatchObject({
        Name: `Student-${n + 1}`,
        Type: 'read_write',
        Status: 'Success',
        'Valid Days': '120',
        'Max Devices': '2',
        'Device Bound': 'yes',
        'Can Invite': 'no',
        Error: '',
      });
      expect(row.Token).toMatch(/^inv-[A-Za-z0-9_-]{43}$/);
    });
    const payload = JSON.parse(Buffer.from(rows[7]!['Encoded Data']!, 'base64url').toString('utf8'));
    expect(payload).toMatchObject({
      name: 'Student-8',
      token: rows[7]!.Token,
      s3_config_path: 's3://university/cs101/config',
    });
    const created = await invitationForToken(deps, rows[499]!.Token!);
    expect(created!.value).toMatchObject({ name: 'Student-500', batchId: batch.id, batchRow: 500, createdBy: ADMIN });
  });

  test('a poison message never leaves a batch hanging: its rows fail with a reason', async () => {
    const batch = await runBatch(classTemplate(60), {}, { poisonChunks: [1] });
    expect(batch).toMatchObject({ state: 'completed', total: 60, succeeded: 35, failed: 25 });
    const rows = await resultRows(batch);
    expect(rows[25]).toMatchObject({ Name: 'Student-26', Status: 'Failed' });
    expect(rows[25]!.Error).toMatch(/line 27: could not be processed after \d+ attempts/);
  });

  test("a batch's concurrency is how many of its chunks SQS hands out at once: one per lane, the next when it ends", async () => {
    const { batch: started } = await startBatch(deps, {
      request: { concurrency: 2 },
      csv: classTemplate(100),
      source: 'api',
      origin: AS_ADMIN,
    });
    const batchId = started.id;
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    const first = await receiveAllOf(batchId);
    expect(first.map(({ chunk, group }) => [chunk, group]).sort()).toEqual([
      [0, `${batchId}.lane-0`],
      [1, `${batchId}.lane-1`],
    ]);
    expect(await receiveAllOf(batchId)).toEqual([]);
    const lane0 = first.find(({ chunk }) => chunk === 0)!;
    await processChunk(deps, lane0.message);
    await rowQueue.send(new DeleteMessageCommand({ QueueUrl: config.rowQueueUrl(), ReceiptHandle: lane0.handle }));
    const next = await receiveAllOf(batchId);
    expect(next.map(({ chunk, group }) => [chunk, group])).toEqual([[2, `${batchId}.lane-0`]]);
    for (const { handle } of [...first, ...next].filter(({ chunk }) => chunk !== 0)) await putBack(handle);

    await drive(batchId, ended(batchId));
    expect(await batchNow(batchId)).toMatchObject({ state: 'completed', succeeded: 100, failed: 0 });
  });
});

describe('the Email column (SPEC §2.1, §2.2, §4.5)', () => {
  const SPEC_HEADER = 'Name,Type,Token,Valid Days,Can Invite,Transferable,Device Bound,Max Devices,Status,Error';

  test('lands on each invitation and last in the results; a bad address fails its row alone; the audit table holds none', async () => {
    const run = Date.now().toString(36);
    const ana = `Ana.Lopez+${run}@Example.EDU`;
    const formula = `=cmd-${run}@x.io`;
    const bad = `bo-${run}@`;
    const single = `Solo.${run}@Example.org`;
    const { issued } = await issueInvitation(
      deps,
      { name: 'Solo', type: 'read_only', email: single },
      { origin: AS_ADMIN },
    );
    const batch = await runBatch(
      ['Name,Type,E-mail,ValidDays', `Ana,ro,${ana},30`, `Bo,rw,${bad},30`, `Cy,ro,${formula},30`, 'Di,ro,,30'].join(
        '\n',
      ),
    );
    expect(batch).toMatchObject({ state: 'completed', total: 4, succeeded: 3, failed: 1, warnings: [] });

    const answer = await batchResults(deps, batch);
    if (!('csv' in answer)) throw new Error('expected inline results');
    expect(answer.csv.slice(0, answer.csv.indexOf('\r\n'))).toBe(
      `${SPEC_HEADER},Id,Expires,Parent Id,Row,Line,Notes,Email`,
    );
    const rows: Record<string, string>[] = parse(answer.csv, { columns: true });
    expect(rows.map((row) => [row.Name, row.Status, row.Email])).toEqual([
      ['Ana', 'Success', ana],
      ['Bo', 'Failed', ''],
      ['Cy', 'Success', `'${formula}`],
      ['Di', 'Success', ''],
    ]);
    expect(rows[1]!.Error).toBe(`line 3, column "E-mail": must look like local@domain.tld (got "${bad}")`);

    const stored = await Promise.all(rows.map((row) => (row.Id ? deps.store.getInvitation(row.Id) : undefined)));
    expect(stored.map((invitation) => invitation?.value.email)).toEqual([ana, undefined, formula, undefined]);

    const audit = await scanTable(config.auditTableName());
    const created = [issued.invitation.id, rows[0]!.Id, rows[2]!.Id, rows[3]!.Id];
    const creations = audit.filter(
      (item) => item.action === 'invitation.created' && created.includes(String(item.targetId)),
    );
    expect(creations).toHaveLength(4);
    expect(JSON.stringify(audit)).not.toContain(run);
  });
});
