/**
 * Runs only the splitter's streaming path, in a process of its own (bundled with esbuild, the SDK included, as
 * the function is): splits the batch named by argv[2] with the function's environment, and prints its memory
 * figures as one JSON line.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { s3, sqs } from '../../lambdas/adapters/clients';
import { DEFAULT_CSV_LIMITS } from '../../lambdas/domain/csv/reader';
import { defaultDeps } from '../../lambdas/adapters/composition';
import { requireBatch } from '../../lambdas/usecases/batch/pipeline';
import { splitBatch } from '../../lambdas/usecases/batch/split';

export interface SplitMemoryReport {
  /** RSS once the modules are loaded and the SDK clients built, just before the split. */
  baselineRssBytes: number;
  /** The kernel's high-water mark of RSS during the split (VmHWM, reset just before it). */
  peakRssBytes: number;
  /** Highest JavaScript heap in use among samples taken every SAMPLE_MS. */
  peakHeapUsedBytes: number;
  /** Highest memory outside the heap (buffers, ArrayBuffers) among the same samples. */
  peakExternalBytes: number;
  splitMs: number;
}

const SAMPLE_MS = 10;

/** `VmHWM` or `VmRSS` of /proc/self/status, in bytes. */
const statusBytes = (field: 'VmHWM' | 'VmRSS'): number => {
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`/proc/self/status has no ${field}`);
  return Number(kib) * 1024;
};

async function main(): Promise<SplitMemoryReport> {
  const batchId = process.argv[2];
  if (!batchId) throw new Error('usage: split-child <batchId>');
  const deps = defaultDeps();
  const batch = await requireBatch(deps, batchId);
  s3();
  sqs();
  // Writing 5 resets the peak (VmHWM) to the current RSS, so it measures the split alone.
  writeFileSync('/proc/self/clear_refs', '5');
  const baselineRssBytes = statusBytes('VmRSS');
  let peakHeapUsedBytes = 0;
  let peakExternalBytes = 0;
  const sample = () => {
    const { heapUsed, external } = process.memoryUsage();
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, heapUsed);
    peakExternalBytes = Math.max(peakExternalBytes, external);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  const startedAt = performance.now();
  try {
    await splitBatch(deps, batch, DEFAULT_CSV_LIMITS);
  } finally {
    clearInterval(sampler);
  }
  const splitMs = performance.now() - startedAt;
  return { baselineRssBytes, peakRssBytes: statusBytes('VmHWM'), peakHeapUsedBytes, peakExternalBytes, splitMs };
}

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
