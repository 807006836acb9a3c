import { startBatch } from '../usecases/batch/start';
import { batchResults, visibleBatch } from '../usecases/batch/requests';
import { batchView } from '../contract/views';
import { batchDeps } from './batch-deps';
import { batchResult, resultsResult, startedResult } from './batch-answers';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

export const handler = httpFunction('batches', {
  'POST /batches': async ({ body, query, csv, headers, origin }) => {
    const request = csv === undefined ? body! : { ...query, parentToken: headers['x-prism-parent-token'] };
    return startedResult(await startBatch(batchDeps(), { request, csv, source: 'api', origin }));
  },
  'GET /batches': async ({ query }) => {
    const { batches, cursor } = await batchDeps().batches.listBatches({
      ...query,
      limit: query.limit ?? DEFAULT_PAGE,
    });
    return { body: { batches: batches.map(batchView), ...(cursor && { cursor }) } };
  },
  'GET /batches/{id}': async ({ params }) => batchResult(await visibleBatch(batchDeps(), params.id!)),
  'GET /batches/{id}/results': async ({ params }) => {
    const deps = batchDeps();
    const batch = await visibleBatch(deps, params.id!);
    return resultsResult(batch, await batchResults(deps, batch));
  },
});
