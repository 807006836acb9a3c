import { Worker } from 'node:worker_threads';
import type { EmbeddedStack } from '../../local/stack/stack';
import { createInvitations } from './fixtures';
import type { LoadWorkerData, PhaseOutcome } from './load-worker';
import { invitationsNeeded, type PhasePlan } from './phases';
import { ascending, percentile } from './stats';

export interface PhaseResult {
  plan: PhasePlan;
  /** Measured requests (warm-up excluded). */
  requests: number;
  /** Wrong or missing answers, warm-up included. */
  errors: number;
  /** A few distinct descriptions of the errors. */
  errorSamples: string[];
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

function resultOf(plan: PhasePlan, { latenciesMs, failures, warmupFailures, elapsedMs }: PhaseOutcome): PhaseResult {
  const sorted = ascending(latenciesMs);
  const allFailures = [...warmupFailures, ...failures];
  return {
    plan,
    requests: latenciesMs.length + failures.length,
    errors: allFailures.length,
    errorSamples: [...new Set(allFailures)].slice(0, 3),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    requestsPerSecond: latenciesMs.length / (elapsedMs / 1000),
  };
}

/** Creates the invitations the plans need, then runs the plans one after another on the load worker. */
export async function measureApi(stack: EmbeddedStack, plans: readonly PhasePlan[]): Promise<PhaseResult[]> {
  const count = invitationsNeeded(plans);
  console.error(`bench/api: creating ${count} invitations…`);
  const tokens = await createInvitations(stack, count);
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), {
    workerData: { endpoint: stack.endpoint, tokens } satisfies LoadWorkerData,
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const run = (plan: PhasePlan) =>
    Promise.race([
      new Promise<PhaseOutcome>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(plan);
      }),
      failed,
    ]);
  try {
    const results: PhaseResult[] = [];
    for (const plan of plans) {
      console.error(`bench/api: ${plan.scenario} at ${plan.concurrency} client(s)…`);
      results.push(resultOf(plan, await run(plan)));
    }
    return results;
  } finally {
    await worker.terminate();
  }
}
