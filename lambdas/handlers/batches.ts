import { defaultDeps } from '../adapters/composition';
import { batchResults, startBatch, visibleBatch } from '../usecases/batch/requests';
import { batchView } from '../contract/views';
import { resultsResult } from './batch-answers';
import { httpFunction } from './http';

const DEFAULT_PAGE = 50;

export const handler = httpFunction('batches', {
  'POST /batches': async ({ body, query, csv, headers, origin }) => {
    const request = csv === undefined ? body! : { ...query, parentToken: headers['x-prism-parent-token'] };
    return startBatch(defaultDeps(), { request, csv, source: 'api', origin });
  },
  'GET /batches': async ({ query }) => {
    const { batches, cursor } = await defaultDeps().batches.listBatches({
      ...query,
      limit: query.limit ?? DEFAULT_PAGE,
    });
    return { body: { batches: batches.map(batchView), ...(cursor && { cursor }) } };
  },
  'GET /batches/{id}': async ({ params }) => ({
    body: { batch: batchView(await visibleBatch(defaultDeps(), params.id!)) },
  }),
  'GET /batches/{id}/results': async ({ params }) => {
    const deps = defaultDeps();
    return resultsResult(await batchResults(deps, await visibleBatch(deps, params.id!)));
  },
});
