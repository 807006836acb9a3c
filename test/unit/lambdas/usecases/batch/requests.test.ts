import { RESULTS_RETENTION_DAYS } from '../../../../../system/resources';
import { INLINE_RESULTS_MAX_BYTES, batchResults, visibleBatch } from '../../../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import { classTemplate } from '../../../../support/class-template';
import { memoryDeps } from '../../../../support/memory/deps';
import { runBatch } from '../../../../support/memory/pipeline';
import { ADMIN, AS_ADMIN } from '../../../../support/origins';

/** Requests about a batch on in-memory ports: who sees it, and how its results come back. */
describe('batch requests', () => {
  test('a batch is visible to administrators, and to a delegate only when it is their own', async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN });
    expect(await visibleBatch(deps, batch.id)).toEqual(batch);
    expect(await visibleBatch(deps, batch.id, ADMIN)).toEqual(batch);
    await expect(visibleBatch(deps, batch.id, 'someone-else')).rejects.toMatchObject({ status: 404 });
    await expect(visibleBatch(deps, 'no-such-batch')).rejects.toMatchObject({ status: 404 });
  });

  test('results come inline up to the limit, then as a download link for a short while; a removed file is gone', async () => {
    const deps = memoryDeps({ now: new Date('2026-11-21T08:00:00Z') });
    const batch = await runBatch(deps, classTemplate(2));
    const answer = await batchResults(deps, batch);
    expect(answer).toEqual({ csv: await deps.objects.text(batch.resultsKey!) });

    await deps.objects.write(batch.resultsKey!, 'x'.repeat(INLINE_RESULTS_MAX_BYTES + 1), 'text/csv');
    expect(await batchResults(deps, batch)).toEqual({
      download: {
        url: `memory://registry/${batch.resultsKey}?expires=300`,
        expiresAt: '2026-11-21T08:05:00Z',
        bytes: INLINE_RESULTS_MAX_BYTES + 1,
      },
    });

    await deps.objects.delete(batch.resultsKey!);
    await expect(batchResults(deps, batch)).rejects.toMatchObject({ status: 410, code: 'results_expired' });
  });

  test('a batch without results yet answers 409 with its state', async () => {
    const deps = memoryDeps();
    const { batch } = await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN });
    await expect(batchResults(deps, batch)).rejects.toMatchObject({
      status: 409,
      code: 'results_not_ready',
      details: { state: 'awaiting_upload' },
    });
  });

  test(`results are answered for ${RESULTS_RETENTION_DAYS} days after the batch completed, then 410, by its age alone`, async () => {
    const deps = memoryDeps();
    const batch = await runBatch(deps, classTemplate(2));
    const expiry = new Date(batch.completedAt!).getTime() + RESULTS_RETENTION_DAYS * 24 * 3600 * 1000;
    const at = (ms: number) => ({ ...deps, now: () => new Date(ms) });
    expect(await batchResults(at(expiry - 1000), batch)).toHaveProperty('csv');
    // The file is still in the bucket: the answer does not depend on asking the store whether it is.
    expect(await deps.objects.text(batch.resultsKey!)).toBeDefined();
    await expect(batchResults(at(expiry), batch)).rejects.toMatchObject({ status: 410, code: 'results_expired' });
  });
});
