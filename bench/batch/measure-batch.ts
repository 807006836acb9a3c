import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedStack } from '../../local/stack/stack';
import { adminClient } from '../shared/admin-client';
import { PIPELINE_PLANS, SPLIT_ROWS } from './plan';
import { type PipelineResult, runPipeline } from './pipeline-run';
import { type SplitMemoryResult, measureSplitMemory } from './split-memory';
import { type CeilingResult, measureWriteCeiling } from './write-ceiling';

export interface BatchMeasurements {
  /** Each batch with the ceiling measured right after it, for as many rows. */
  pipelines: { pipeline: PipelineResult; ceiling: CeilingResult }[];
  splits: SplitMemoryResult[];
}

const log = (message: string) => console.error(`bench/batch: ${message}`);

/** Every measurement of the batch benchmark, one after another against `stack`; files go under its home. */
export async function measureBatch(stack: EmbeddedStack): Promise<BatchMeasurements> {
  const workdir = join(stack.home, 'bench-files');
  mkdirSync(workdir);
  const client = adminClient(stack);
  const pipelines: BatchMeasurements['pipelines'] = [];
  for (const plan of PIPELINE_PLANS) {
    log(`batch of ${plan.rows} rows through the pipeline…`);
    const pipeline = await runPipeline(client, plan, workdir);
    log(`${pipeline.rowsPerSecond.toFixed(0)} rows/s; BatchWriteItem ceiling for ${plan.rows} rows…`);
    const ceiling = await measureWriteCeiling(join(workdir, `ceiling-${plan.rows}`), plan.rows);
    log(`${ceiling.rowsPerSecond.toFixed(0)} rows/s`);
    pipelines.push({ pipeline, ceiling });
  }
  const splits: SplitMemoryResult[] = [];
  for (const rows of SPLIT_ROWS) {
    log(`splitter memory over ${rows} rows…`);
    splits.push(await measureSplitMemory(stack, rows, workdir));
  }
  return { pipelines, splits };
}
