import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { build } from 'esbuild';
import { ENV, LOCAL_NAMES, ROWS_PER_MESSAGE } from '../../system/resources';
import { defaultDeps } from '../../lambdas/adapters/composition';
import { createBatch, resolveBatchOptions } from '../../lambdas/usecases/batch/opening';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import type { EmbeddedStack } from '../../local/stack/stack';
import { benchOutDir } from '../shared/paths';
import { runNode } from './child-process';
import { writeClassTemplate } from './class-template';
import type { SplitMemoryReport } from './split-child';

const CHILD_TIME_LIMIT_MS = 10 * 60_000;

export interface SplitMemoryResult extends SplitMemoryReport {
  rows: number;
  fileBytes: number;
  /** Row messages the split left on its queue. */
  messages: number;
}

/** Bundles the splitter's child script as the functions are bundled (esbuild, SDK included), once. */
let bundled: Promise<string> | undefined;
const splitChild = () =>
  (bundled ??= (async () => {
    const outfile = benchOutDir('batch', 'split-child.cjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./split-child.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      logLevel: 'warning',
    });
    return outfile;
  })());

/**
 * Peak RSS of the splitter over a class template of `rows` rows: the file goes to the stack's bucket under a
 * key no notification watches, a batch is recorded for it, and the child splits it into a scratch FIFO queue that
 * no poller reads (so no worker processes the rows), which is checked to hold every row, then deleted.
 */
export async function measureSplitMemory(stack: EmbeddedStack, rows: number, workdir: string) {
  const settings = { endpoint: stack.emulators.fauxqs, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS };
  const s3 = new S3Client({ ...settings, forcePathStyle: true });
  const sqs = new SQSClient(settings);
  const key = `bench/split-${rows}.csv`;
  const input = await writeClassTemplate(join(workdir, `split-${rows}.csv`), rows);
  let queueUrl: string | undefined;
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_NAMES.bucket,
        Key: key,
        Body: createReadStream(input.path),
        ContentLength: input.size,
        ContentType: 'text/csv',
      }),
    );
    // FIFO, as the row queue is: the splitter sends each chunk in its lane's message group.
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: `prism-bench-split-${rows}.fifo`, Attributes: { FifoQueue: 'true' } }),
      )
    ).QueueUrl!;
    const deps = defaultDeps();
    const options = await resolveBatchOptions(deps, {}, 's3');
    const batch = await createBatch(deps, { source: 's3', options, origin: { actor: 'bench' }, objectKey: key });

    const env = { ...process.env, [ENV.rowQueueUrl]: queueUrl };
    const output = await runNode(await splitChild(), [batch.id], env, CHILD_TIME_LIMIT_MS);
    const report = JSON.parse(output) as SplitMemoryReport;

    const split = await deps.batches.getBatch(batch.id);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const messages = Number(Attributes?.ApproximateNumberOfMessages);
    if (split?.state !== 'processing' || split.total !== rows || messages !== Math.ceil(rows / ROWS_PER_MESSAGE)) {
      throw new Error(`split of ${rows} rows: batch ${split?.state} with ${split?.total} rows, ${messages} messages`);
    }
    return { ...report, rows, fileBytes: input.size, messages } satisfies SplitMemoryResult;
  } finally {
    if (queueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key })).catch(() => undefined);
    rmSync(input.path, { force: true });
    s3.destroy();
    sqs.destroy();
  }
}
