import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { resolveBatchOptions } from '../../../../../lambdas/usecases/batch/opening';
import { UPLOAD_URL_SECONDS, startBatch } from '../../../../../lambdas/usecases/batch/start';
import { classTemplate } from '../../../../support/class-template';
import { memoryDeps } from '../../../../support/memory/deps';
import { ADMIN, AS_ADMIN } from '../../../../support/origins';

/** The start stage and the options a batch opens with, on in-memory ports. */
describe('the start stage', () => {
  test('without a CSV: a batch awaiting its upload, its start audited, and a presigned URL for its object', async () => {
    const deps = memoryDeps({ now: new Date('2026-11-21T08:00:00Z') });
    const { batch, upload } = await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN });
    expect(batch).toMatchObject({
      state: 'awaiting_upload',
      source: 'api',
      createdBy: ADMIN,
      objectKey: `uploads/${batch.id}.csv`,
      options: { includeEncoded: false, concurrency: 5, hasHeader: true },
      succeeded: 0,
      failed: 0,
    });
    expect(await deps.batches.getBatch(batch.id)).toEqual(batch);
    expect(upload).toEqual({
      url: `memory://registry/uploads/${batch.id}.csv?upload&expires=${UPLOAD_URL_SECONDS}`,
      expiresAt: '2026-11-21T08:15:00Z',
    });
    expect(await deps.auditLog.ofTarget(batch.id)).toEqual([
      expect.objectContaining({ action: 'batch.started', details: expect.objectContaining({ source: 'api' }) }),
    ]);
    expect(deps.objects.keys()).toEqual([]);
  });

  test('with the CSV inline: stored at the batch object and the batch queued, with no URL', async () => {
    const deps = memoryDeps();
    const csv = classTemplate(2);
    const started = await startBatch(deps, { request: { concurrency: 3 }, csv, source: 'api', origin: AS_ADMIN });
    expect(started).not.toHaveProperty('upload');
    expect(started.batch).toMatchObject({ state: 'queued', options: { concurrency: 3 } });
    expect(await deps.objects.text(started.batch.objectKey)).toBe(csv);
    expect(await deps.batches.getBatch(started.batch.id)).toEqual(started.batch);
  });

  test('options: a parent by id or token that may invite now; concurrency in range; a delegate keeps the config path', async () => {
    const deps = memoryDeps();
    const { issued: parent } = await issueInvitation(
      deps,
      { name: 'Dept', type: 'admin', s3ConfigPath: 's3://dept/config' },
      { origin: AS_ADMIN },
    );
    const id = parent.invitation.id;
    expect(await resolveBatchOptions(deps, { parentToken: parent.token }, 'api')).toMatchObject({ parentId: id });
    expect(await resolveBatchOptions(deps, { parentId: id, hasHeader: false }, 'api')).toEqual({
      parentId: id,
      includeEncoded: false,
      concurrency: 5,
      hasHeader: false,
    });
    await expect(resolveBatchOptions(deps, { parentToken: 'inv-nope' }, 'api')).rejects.toMatchObject({
      status: 404,
    });
    for (const concurrency of [0, 51, 2.5]) {
      await expect(resolveBatchOptions(deps, { concurrency }, 'api')).rejects.toMatchObject({
        details: expect.objectContaining({ field: 'concurrency' }),
      });
    }
    await expect(
      resolveBatchOptions(deps, { parentId: id, s3ConfigPath: 's3://other/config' }, 'delegate'),
    ).rejects.toMatchObject({ details: expect.objectContaining({ field: 's3ConfigPath' }) });
    expect(
      await resolveBatchOptions(deps, { parentId: id, s3ConfigPath: 's3://dept/config' }, 'delegate'),
    ).toMatchObject({ s3ConfigPath: 's3://dept/config' });

    await revokeInvitation(deps, id, undefined, false, AS_ADMIN);
    await expect(
      startBatch(deps, { request: { parentId: id }, source: 'api', origin: AS_ADMIN }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/revoked/) });
    expect((await deps.batches.listBatches({ limit: 10 })).batches).toEqual([]);
  });
});
