import { ROWS_PER_MESSAGE, type RowChunk } from '../../../../../lambdas/domain/batch';
import { DEFAULT_CSV_LIMITS } from '../../../../../lambdas/domain/csv/reader';
import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { batchResults } from '../../../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { resumeDispatch, splitArrivedObject, splitBatch } from '../../../../../lambdas/usecases/batch/split';
import { SEED_HEADER, classTemplate } from '../../../../support/class-template';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { drain, resultRows, runBatch } from '../../../../support/memory/pipeline';
import { AS_ADMIN } from '../../../../support/origins';

/** The split stage on in-memory ports: a file checked whole before any row is sent, then sent in chunks. */
const dropped = async (deps: MemoryDeps, key: string) =>
  (await deps.batches.listBatches({ limit: 20 })).batches.filter((batch) => batch.objectKey === key);

describe('the split stage', () => {
  test("rows go in chunks of 25, dealt round the batch's lanes, and the batch is marked dispatched", async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, {
      request: { concurrency: 2 },
      csv: classTemplate(3 * ROWS_PER_MESSAGE + 1),
      source: 'api',
      origin: AS_ADMIN,
    });
    await splitArrivedObject(deps, batch.objectKey);
    expect(deps.rows.sent.map(({ group, message }) => [group, (message as RowChunk).chunk])).toEqual([
      [`${batch.id}.lane-0`, 0],
      [`${batch.id}.lane-1`, 1],
      [`${batch.id}.lane-0`, 2],
      [`${batch.id}.lane-1`, 3],
    ]);
    expect(deps.rows.sent.map(({ message }) => (message as RowChunk).rows.length)).toEqual([25, 25, 25, 1]);
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({
      state: 'processing',
      total: 76,
      dispatchedAt: expect.any(String),
    });

    // A repeated event sends nothing once every chunk is sent.
    await splitArrivedObject(deps, batch.objectKey);
    expect(deps.rows.sent).toHaveLength(4);
  });

  test('a file without a Type column is rejected whole and creates nothing', async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, 'Name,ValidDays\nx,30\n');
    expect(batch).toMatchObject({ state: 'failed', error: { code: 'no_header_columns' } });
    expect(batch.error!.message).toMatch(/Type/);
    expect(deps.rows.sent).toEqual([]);
    await expect(batchResults(deps, batch)).rejects.toMatchObject({ status: 409, code: 'results_not_ready' });
  });

  test('unknown columns are a warning of the whole batch', async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, `${SEED_HEADER},Shoe Size\nA,read_only,30,no,no,yes,1,44\n`);
    expect(batch).toMatchObject({ state: 'completed', succeeded: 1 });
    expect(batch.warnings).toEqual([expect.stringMatching(/Shoe Size/)]);
  });

  test('a batch reserves what its parent allows: rows beyond fail alone, and units its failed rows left are given back', async () => {
    const deps = memoryDeps();
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
    const batch = await runBatch(deps, csv, { parentId: parent.invitation.id });
    expect(batch).toMatchObject({ state: 'completed', reservedRows: 3, quotaLimitedBy: parent.invitation.id });
    const rows = await resultRows(deps, batch);
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

  test("a reservation that loses a race for an ancestor's allowance reads again and reserves what is left", async () => {
    const deps = memoryDeps();
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', maxDescendants: 3 },
      { origin: AS_ADMIN },
    );
    const { batch } = await startBatch(deps, {
      request: { parentId: parent.invitation.id },
      csv: classTemplate(2),
      source: 'api',
      origin: AS_ADMIN,
    });
    const hold = deps.tables.interleaving.hold('transition', (id) => id === batch.id);
    const split = splitArrivedObject(deps, batch.objectKey);
    await hold.reached();
    await issueInvitation(
      deps,
      { name: 'Sibling', type: 'read_only', parentId: parent.invitation.id },
      { origin: AS_ADMIN },
    );
    await issueInvitation(
      deps,
      { name: 'Sibling 2', type: 'read_only', parentId: parent.invitation.id },
      { origin: AS_ADMIN },
    );
    hold.release();
    await split;
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({ state: 'processing', reservedRows: 1, total: 2 });
    expect((await deps.store.getInvitation(parent.invitation.id))!.value.descendantsCreated).toBe(3);
  });

  test('a CSV dropped under drop/ starts one batch with the options in its metadata, once per file', async () => {
    const deps = memoryDeps();
    const key = 'drop/roster.csv';
    deps.objects.put(key, classTemplate(3), { 'include-encoded': 'true', concurrency: '2' });
    await splitArrivedObject(deps, key);
    await splitArrivedObject(deps, key);
    const started = await dropped(deps, key);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      source: 's3',
      createdBy: `s3:${key}`,
      options: { includeEncoded: true, concurrency: 2 },
    });
    await drain(deps);
    const batch = (await deps.batches.getBatch(started[0]!.id))!;
    expect(batch).toMatchObject({ state: 'completed', succeeded: 3, resultsKey: `results/${batch.id}.csv` });
    expect((await resultRows(deps, batch))[0]!['Encoded Data']).toMatch(/^eyJ/);
  });

  test('a sidecar JSON written before the CSV gives its options; bad options fail the batch with the reason', async () => {
    const deps = memoryDeps();
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Sidecar parent', type: 'admin' },
      { origin: AS_ADMIN },
    );
    const key = 'drop/sidecar.csv';
    const sidecar = { parentId: parent.invitation.id, includeEncoded: true, hasHeader: false };
    deps.objects.put(`${key}.json`, JSON.stringify(sidecar));
    deps.objects.put(key, 'Headerless,read_only,10,no,no,yes,1\n');
    expect(await splitArrivedObject(deps, `${key}.json`)).toBeUndefined();
    await splitArrivedObject(deps, key);
    const [started] = await dropped(deps, key);
    expect(started!.options).toMatchObject({ parentId: parent.invitation.id, includeEncoded: true, hasHeader: false });
    await drain(deps);
    expect((await resultRows(deps, (await deps.batches.getBatch(started!.id))!))[0]).toMatchObject({
      Name: 'Headerless',
      'Parent Id': parent.invitation.id,
    });

    const bad = 'drop/bad-options.csv';
    deps.objects.put(bad, classTemplate(2), { concurrency: 'lots' });
    expect(await splitArrivedObject(deps, bad)).toBeUndefined();
    const [failed] = await dropped(deps, bad);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'invalid_batch_options' } });
    expect(failed!.error!.message).toMatch(/object metadata: concurrency/);
    expect(deps.events.published).toContainEqual({
      detailType: 'BatchCompleted',
      detail: expect.objectContaining({ batchId: failed!.id, state: 'failed' }),
    });
  });

  test('an object under no batch, or under uploads/ for no batch, starts nothing', async () => {
    const deps = memoryDeps();
    deps.objects.put('elsewhere/file.csv', classTemplate(1));
    expect(await splitArrivedObject(deps, 'elsewhere/file.csv')).toBeUndefined();
    expect(await splitArrivedObject(deps, 'uploads/missing.csv')).toBeUndefined();
    expect(await splitArrivedObject(deps, 'drop/none-such.csv')).toBeUndefined();
    expect((await deps.batches.listBatches({ limit: 10 })).batches).toEqual([]);
  });

  test('a split cut short after its first pass sends the chunks when it goes on; a resend skips the recorded ones', async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, { request: {}, csv: classTemplate(60), source: 'api', origin: AS_ADMIN });
    // The first pass ended; the split stopped before it sent any chunk.
    const checked = await deps.batches.transition(batch, ['queued'], 'processing', {
      total: 60,
      updatedAt: batch.updatedAt,
    });
    await splitBatch(deps, checked!, DEFAULT_CSV_LIMITS);
    const first = deps.rows.take() as RowChunk[];
    expect(first.map(({ chunk }) => chunk)).toEqual([0, 1, 2]);
    expect(await deps.batches.getBatch(batch.id)).toMatchObject({ total: 60, dispatchedAt: expect.any(String) });

    await processChunk(deps, first[0]!);
    await resumeDispatch(deps, (await deps.batches.getBatch(batch.id))!, DEFAULT_CSV_LIMITS);
    const resent = deps.rows.take() as RowChunk[];
    expect(resent.map(({ chunk }) => chunk)).toEqual([1, 2]);
    expect(resent).toEqual(first.slice(1));
  });
});
