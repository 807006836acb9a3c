import { rowQueue } from '../adapters/row-queue';
import { defaultDeps } from '../adapters/composition';
import type { BatchDeps } from '../usecases/batch/pipeline';

let deps: BatchDeps | undefined;

/** What the batch pipeline's stages run on in a function: the use cases' dependencies and the row queue on SQS. */
export function batchDeps(): BatchDeps {
  deps ??= { ...defaultDeps(), rows: rowQueue };
  return deps;
}
