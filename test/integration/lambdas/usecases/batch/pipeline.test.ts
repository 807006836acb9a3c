import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { parse } from 'csv-parse/sync';
import { config } from '../../../../../lambdas/config';
import type { Batch, RowChunk, RowQueueMessage } from '../../../../../lambdas/domain/batch';
import { addDays } from '../../../../../lambdas/domain/time';
import { RESULTS_RETENTION_DAYS } from '../../../../../system/resources';
import { batchResults } from '../../../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import { SEED_HEADER, classTemplate } from '../../../../support/class-template';
import { ADMIN, AS_ADMIN, integrationDeps } from '../../../../support/deps';
import { type DriveOptions, drive } from '../../../../support/pipeline-driver';

jest.setTimeout(120_000);

const deps = integrationDeps();
const s3 = new S3Client({ forcePathStyle: true });

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

  test('good rows among invalid and ragged ones succeed; the others fail with line-numbered reasons', async () => {
    const csv = [
      SEED_HEADER,
      'Good-1,read_only,30,no,no,yes,1',
      'Bad-Type,superuser,30,no,no,yes,1',
      '',
      'Ragged,read_only,30',
      'Bad-Bool,read_only,30,maybe,no,yes,1',
      '"Quoted, Name",rw,,,,,',
      'Too-Many-Devices,read_only,30,no,no,yes,9',
    ].join('\r\n');
    const batch = await runBatch(csv);
    expect(batch).toMatchObject({ state: 'completed', total: 6, succeeded: 2, failed: 4 });
    const rows = await resultRows(batch);
    expect(rows.map((row) => [row.Name, row.Status])).toEqual([
      ['Good-1', 'Success'],
      ['Bad-Type', 'Failed'],
      ['Ragged', 'Failed'],
      ['Bad-Bool', 'Failed'],
      ['Quoted, Name', 'Success'],
      ['Too-Many-Devices', 'Failed'],
    ]);
    expect(rows[1]!.Error).toMatch(/line 3.*Type/);
    expect(rows[2]!.Error).toMatch(/line 5/);
    expect(rows[3]!.Error).toMatch(/line 6.*CanInvite/);
    expect(rows[5]!.Error).toMatch(/line 8.*1 to 5/);
    expect(rows[4]).toMatchObject({ Type: 'read_write', 'Valid Days': '30', 'Max Devices': '1' });
  });

  test('with every message delivered twice, counts and invitations are exact', async () => {
    const batch = await runBatch(classTemplate(120), {}, { deliverTwice: true });
    expect(batch).toMatchObject({ state: 'completed', total: 120, succeeded: 120, failed: 0 });
    const page = await deps.store.listInvitations({ batchId: batch.id }, 100, undefined, new Date().toISOString());
    const second = await deps.store.listInvitations({ batchId: batch.id }, 100, page.cursor, new Date().toISOString());
    expect(page.items.length + second.items.length).toBe(120);
    expect((await resultRows(batch)).map((row) => row.Name)).toEqual(
      Array.from({ length: 120 }, (_, n) => `Student-${n + 1}`),
    );
  });

  test('every row failing completes the batch with every row Failed', async () => {
    const csv = [SEED_HEADER, ...Array.from({ length: 30 }, (_, n) => `Nope-${n},emperor,30,no,no,yes,1`)].join('\n');
    const batch = await runBatch(csv);
    expect(batch).toMatchObject({ state: 'completed', total: 30, succeeded: 0, failed: 30 });
    expect((await resultRows(batch)).every((row) => row.Status === 'Failed' && row.Token === '')).toBe(true);
  });

  test('a poison message never leaves a batch hanging: its rows fail with a reason', async () => {
    const batch = await runBatch(classTemplate(60), {}, { poisonChunks: [1] });
    expect(batch).toMatchObject({ state: 'completed', total: 60, succeeded: 35, failed: 25 });
    const rows = await resultRows(batch);
    expect(rows[25]).toMatchObject({ Name: 'Student-26', Status: 'Failed' });
    expect(rows[25]!.Error).toMatch(/line 27: could not be processed after \d+ attempts/);
  });

  test(`results are answered for ${RESULTS_RETENTION_DAYS} days after the batch completed, then 410, by its age alone`, async () => {
    const batch = await runBatch(classTemplate(2));
    const expiry = addDays(new Date(batch.completedAt!), RESULTS_RETENTION_DAYS).getTime();
    const at = (ms: number) => ({ ...deps, now: () => new Date(ms) });
    expect(await batchResults(at(expiry - 1000), batch)).toHaveProperty('csv');
    // The file is still in the bucket: the answer does not depend on asking S3 whether it is.
    await expect(batchResults(at(expiry), batch)).rejects.toMatchObject({ status: 410, code: 'results_expired' });
  });

  test('a file without a Type column is rejected whole and creates nothing', async () => {
    const batch = await runBatch('Name,ValidDays\nx,30\n');
    expect(batch).toMatchObject({ state: 'failed', error: { code: 'no_header_columns' } });
    expect(batch.error!.message).toMatch(/Type/);
    await expect(batchResults(deps, batch)).rejects.toMatchObject({ status: 409, code: 'results_not_ready' });
  });

  test('under a parent: inheritance notes per row, and a parent revoked meanwhile fails the rest', async () => {
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'read_write', canInvite: true, maxDevices: 2 },
      { origin: AS_ADMIN },
    );
    const csv = [SEED_HEADER, 'Member,read_only,30,no,yes,no,5', 'Boss,admin,30,yes,no,yes,1'].join('\n');
    const batch = await runBatch(csv, { parentToken: parent.token });
    const rows = await resultRows(batch);
    expect(rows[0]).toMatchObject({
      Status: 'Success',
      Transferable: 'no',
      'Device Bound': 'yes',
      'Max Devices': '2',
      'Parent Id': parent.invitation.id,
    });
    expect(rows[0]!.Notes).toMatch(/deviceBound.*transferable.*maxDevices/);
    expect(rows[1]).toMatchObject({ Status: 'Failed' });
    expect(rows[1]!.Error).toMatch(/line 3: .*ranks above/);

    const { batch: started } = await startBatch(deps, {
      request: { parentId: parent.invitation.id },
      csv,
      source: 'api',
      origin: AS_ADMIN,
    });
    await revokeInvitation(deps, parent.invitation.id, undefined, false, AS_ADMIN);
    const batchId = started.id;
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    await drive(batchId, ended(batchId));
    const revokedUnder = await batchNow(batchId);
    expect(revokedUnder).toMatchObject({ state: 'completed', succeeded: 0, failed: 2, reservedRows: 0 });
    for (const row of await resultRows(revokedUnder))
      expect(row.Error).toMatch(/^line \d: Parent invitation has been revoked$/);
  });

  test('a batch reserves what its parent allows: rows beyond fail alone, and units its failed rows left are given back', async () => {
    const { issued: root } = await issueInvitation(
      deps,
      { name: 'Org', type: 'admin', maxDescendants: 10 },
      { origin: AS_ADMIN },
    );
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', maxDescendants: 3, parentId: root.invitation.id },
      { origin: AS_ADMIN },
    );
    const csv = [
      SEED_HEADER,
      'One,read_only,30,no,no,yes,1',
      'Two,read_only,thirty,no,no,yes,1',
      'Three,read_only,30,no,no,yes,1',
      'Four,read_only,30,no,no,yes,1',
      'Five,read_only,30,no,no,yes,1',
    ].join('\n');
    const batch = await runBatch(csv, { parentId: parent.invitation.id });
    expect(batch).toMatchObject({ state: 'completed', reservedRows: 3, quotaLimitedBy: parent.invitation.id });
    const rows = await resultRows(batch);
    expect(rows.map((row) => row.Status)).toEqual(['Success', 'Failed', 'Success', 'Failed', 'Failed']);
    expect(rows[1]!.Error).toMatch(/^line 3, column "ValidDays"/);
    for (const [n, row] of [
      [5, rows[3]!],
      [6, rows[4]!],
    ] as const) {
      expect(row.Error).toBe(
        `line ${n}: delegation_quota_exceeded: Invitation ${parent.invitation.id} allows no more invitations below it (its maxDescendants is spent)`,
      );
    }
    const spent = async (id: string) => (await deps.store.getInvitation(id))!.value.descendantsCreated;
    // Two invitations were created; the unit reserved for the bad row came back to the parent and the root.
    expect(await spent(parent.invitation.id)).toBe(2);
    expect(await spent(root.invitation.id)).toBe(3);
  });

  test('a CSV dropped under drop/ starts one batch with the options in its metadata, once per file', async () => {
    const key = `drop/roster-${Date.now()}.csv`;
    await s3.send(
      new PutObjectCommand({
        Bucket: config.bucketName(),
        Key: key,
        Body: classTemplate(3),
        Metadata: { 'include-encoded': 'true', concurrency: '2' },
      }),
    );
    await splitArrivedObject(deps, key);
    await splitArrivedObject(deps, key);
    const { batches } = await deps.batches.listBatches({ limit: 20 });
    const started = batches.filter((batch) => batch.objectKey === key);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      source: 's3',
      createdBy: `s3:${key}`,
      options: { includeEncoded: true, concurrency: 2 },
    });
    await drive(started[0]!.id, ended(started[0]!.id));
    const batch = await batchNow(started[0]!.id);
    expect(batch).toMatchObject({ state: 'completed', succeeded: 3, resultsKey: `results/${batch.id}.csv` });
    expect((await resultRows(batch))[0]!['Encoded Data']).toMatch(/^eyJ/);
  });

  test('a sidecar JSON written before the CSV gives its options; bad options fail the batch with the reason', async () => {
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Sidecar parent', type: 'admin' },
      { origin: AS_ADMIN },
    );
    const key = `drop/sidecar-${Date.now()}.csv`;
    const sidecar = { parentId: parent.invitation.id, includeEncoded: true, hasHeader: false };
    await s3.send(
      new PutObjectCommand({ Bucket: config.bucketName(), Key: `${key}.json`, Body: JSON.stringify(sidecar) }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: config.bucketName(), Key: key, Body: 'Headerless,read_only,10,no,no,yes,1\n' }),
    );
    await splitArrivedObject(deps, `${key}.json`);
    await splitArrivedObject(deps, key);
    const started = (await deps.batches.listBatches({ limit: 20 })).batches.find((batch) => batch.objectKey === key)!;
    expect(started.options).toMatchObject({ parentId: parent.invitation.id, includeEncoded: true, hasHeader: false });
    await drive(started.id, ended(started.id));
    expect((await resultRows(await batchNow(started.id)))[0]).toMatchObject({
      Name: 'Headerless',
      'Parent Id': parent.invitation.id,
    });

    const bad = `drop/bad-options-${Date.now()}.csv`;
    await s3.send(
      new PutObjectCommand({
        Bucket: config.bucketName(),
        Key: bad,
        Body: classTemplate(2),
        Metadata: { concurrency: 'lots' },
      }),
    );
    await splitArrivedObject(deps, bad);
    const failed = (await deps.batches.listBatches({ limit: 20 })).batches.find((batch) => batch.objectKey === bad)!;
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'invalid_batch_options' } });
    expect(failed.error!.message).toMatch(/object metadata: concurrency/);
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
