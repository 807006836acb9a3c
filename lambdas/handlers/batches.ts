import { startBatch } from '../usecases/batch/start';
import { batchResults, visibleBatch } from '../usecases/batch/requests';
import { batchView } from '../contract/views';
import { batchResult, resultsResult, startedResult } from './batch-answers';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

export const handler = httpFunction('batches', {
  'POST /batches': async ({ body, query, csv, headers, origin, deps }) => {
    const request = csv === undefined ? body! : { ...query, parentToken: headers['x-prism-parent-token'] };
    return startedResult(await startBatch(deps, { request, csv, source: 'api', origin }));
  },
  'GET /batches': async ({ query, deps }) => {
    const { batches, cursor } = await deps.batches.listBatches({
      ...query,
      limit: query.limit ?? DEFAULT_PAGE,
    });
    return { body: { batches: batches.map(batchView), ...(cursor && { cursor }) } };
  },
  'GET /batches/{id}': async ({ params, deps }) => batchResult(await visibleBatch(deps, params.id!)),
  'GET /batches/{id}/results': async ({ params, deps }) => {
    const batch = await visibleBatch(deps, params.id!);
    return resultsResult(batch, await batchResults(deps, batch));
  },
});
