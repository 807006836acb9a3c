import { processChunk } from '../../../../../lambdas/usecases/batch/chunk';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { splitArrivedObject } from '../../../../../lambdas/usecases/batch/split';
import type { RowChunk } from '../../../../../lambdas/domain/batch';
import { SEED_HEADER, classTemplate } from '../../../../support/class-template';
import { memoryDeps } from '../../../../support/memory/deps';
import { POISON_REASON, drain, resultRows, runBatch } from '../../../../support/memory/pipeline';
import { ADMIN, AS_ADMIN } from '../../../../support/origins';

/** The chunk stage on in-memory ports: each row on its own, each chunk once, its outcome in one write. */
describe('the chunk stage', () => {
  test('120 rows in five chunks: 120 invitations in input order, each named by its batch and row', async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, classTemplate(120), { s3ConfigPath: 's3://university/cs101/config' });
    expect(batch).toMatchObject({ state: 'completed', total: 120, succeeded: 120, failed: 0 });
    const rows = await resultRows(deps, batch);
    expect(rows.map((row) => row.Name)).toEqual(Array.from({ length: 120 }, (_, n) => `Student-${n + 1}`));
    rows.forEach((row) => {
      expect(row).toMatchObject({ Type: 'read_write', Status: 'Success', 'Valid Days': '120', 'Max Devices': '2' });
      expect(row.Token).toMatch(/^inv-[A-Za-z0-9_-]{43}$/);
    });
    const created = await invitationForToken(deps, rows[119]!.Token!);
    expect(created!.value).toMatchObject({
      name: 'Student-120',
      batchId: batch.id,
      batchRow: 120,
      createdBy: ADMIN,
      s3ConfigPath: 's3://university/cs101/config',
    });
  });

  test('good rows among invalid and ragged ones succeed; the others fail with line-numbered reasons', async () => {
    const deps = memoryDeps();
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
    const batch = await runBatch(deps, csv);
    expect(batch).toMatchObject({ state: 'completed', total: 6, succeeded: 2, failed: 4 });
    const rows = await resultRows(deps, batch);
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

  test('every row failing completes the batch with every row Failed', async () => {
    const deps = memoryDeps();
    const csv = [SEED_HEADER, ...Array.from({ length: 30 }, (_, n) => `Nope-${n},emperor,30,no,no,yes,1`)].join('\n');
    const batch = await runBatch(deps, csv);
    expect(batch).toMatchObject({ state: 'completed', total: 30, succeeded: 0, failed: 30 });
    expect((await resultRows(deps, batch)).every((row) => row.Status === 'Failed' && row.Token === '')).toBe(true);
  });

  test('with every chunk delivered twice, counts and invitations are exact', async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, classTemplate(120), {}, { deliverTwice: true });
    expect(batch).toMatchObject({ state: 'completed', total: 120, succeeded: 120, failed: 0 });
    const page = await deps.store.listInvitations({ batchId: batch.id }, 200, undefined, new Date().toISOString());
    expect(page.items).toHaveLength(120);
    expect((await resultRows(deps, batch)).map((row) => row.Name)).toEqual(
      Array.from({ length: 120 }, (_, n) => `Student-${n + 1}`),
    );
  });

  test('a redelivered chunk records nothing, and asks for the results again once the batch is finished', async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, { request: {}, csv: classTemplate(30), source: 'api', origin: AS_ADMIN });
    await splitArrivedObject(deps, batch.objectKey);
    const [first, second] = deps.rows.take() as RowChunk[];
    expect((await processChunk(deps, first!)).recorded).toEqual({ succeeded: 25, failed: 0 });
    expect(await processChunk(deps, first!)).toEqual({ recorded: undefined, faults: [] });
    expect(deps.rows.take()).toEqual([]);
    expect((await processChunk(deps, second!)).recorded).toEqual({ succeeded: 5, failed: 0 });
    expect(deps.rows.take()).toEqual([{ kind: 'finalise', batchId: batch.id }]);
    deps.clock.now = new Date(deps.clock.now.getTime() + 10 * 60_000);
    expect(await processChunk(deps, first!)).toEqual({ recorded: undefined, faults: [] });
    expect(deps.rows.take()).toEqual([{ kind: 'finalise', batchId: batch.id }]);
  });

  test('a failing message never leaves a batch hanging: the dead-letter handler fails its rows with the reason', async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, classTemplate(60), {}, { poisonChunks: [1] });
    expect(batch).toMatchObject({ state: 'completed', total: 60, succeeded: 35, failed: 25 });
    const rows = await resultRows(deps, batch);
    expect(rows[25]).toMatchObject({ Name: 'Student-26', Status: 'Failed' });
    expect(rows[25]!.Error).toBe(`line 27: ${POISON_REASON}`);
  });

  test('a row that throws through a fault of ours fails alone, its cause kept for the log', async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, { request: {}, csv: classTemplate(3), source: 'api', origin: AS_ADMIN });
    await splitArrivedObject(deps, batch.objectKey);
    const ids = deps.newId;
    let calls = 0;
    const faulty = {
      ...deps,
      newId: () => {
        // Two ids a row (its invitation, its event): the third is the second row's invitation.
        if (++calls === 3) throw new Error('no ids left');
        return ids();
      },
    };
    const outcome = await processChunk(faulty, deps.rows.take()[0] as RowChunk);
    expect(outcome.recorded).toEqual({ succeeded: 2, failed: 1 });
    expect(outcome.faults).toEqual([{ row: 2, line: 3, error: new Error('no ids left') }]);
    await drain(deps);
    const rows = await resultRows(deps, (await deps.batches.getBatch(batch.id))!);
    expect(rows[1]!.Error).toBe('line 3: could not be processed because of an internal error; the registry logged it');
  });

  test('under a parent: inheritance notes per row, and a parent revoked meanwhile fails the rest', async () => {
    const deps = memoryDeps();
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'read_write', canInvite: true, maxDevices: 2 },
      { origin: AS_ADMIN },
    );
    const csv = [SEED_HEADER, 'Member,read_only,30,no,yes,no,5', 'Boss,admin,30,yes,no,yes,1'].join('\n');
    const batch = await runBatch(deps, csv, { parentToken: parent.token });
    const rows = await resultRows(deps, batch);
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
    await splitArrivedObject(deps, started.objectKey);
    await drain(deps);
    const revokedUnder = (await deps.batches.getBatch(started.id))!;
    expect(revokedUnder).toMatchObject({ state: 'completed', succeeded: 0, failed: 2, reservedRows: 0 });
    for (const row of await resultRows(deps, revokedUnder)) {
      expect(row.Error).toMatch(/^line \d: Parent invitation has been revoked$/);
    }
  });

  test('a parent revoked between the planning of a chunk and its write: the chunk is planned again and its rows fail', async () => {
    const deps = memoryDeps();
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', canInvite: true },
      { origin: AS_ADMIN },
    );
    const { batch } = await startBatch(deps, {
      request: { parentId: parent.invitation.id },
      csv: classTemplate(2),
      source: 'api',
      origin: AS_ADMIN,
    });
    await splitArrivedObject(deps, batch.objectKey);
    const hold = deps.tables.interleaving.hold('commitChunk');
    const chunk = processChunk(deps, deps.rows.take()[0] as RowChunk);
    await hold.reached();
    await revokeInvitation(deps, parent.invitation.id, undefined, false, AS_ADMIN);
    hold.release();
    expect((await chunk).recorded).toEqual({ succeeded: 0, failed: 2 });
    expect(await deps.store.listInvitations({ batchId: batch.id }, 10, undefined, new Date().toISOString())).toEqual({
      items: [],
    });
  });
});
