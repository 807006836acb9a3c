import { Worker } from 'node:worker_threads';
import type { EmbeddedStack } from '../../local/stack/stack';
import { createInvitations } from './fixtures';
import type { LoadWorkerData, PhaseOutcome } from './load-worker';
import { DEVICES_PER_INVITATION, invitationsNeeded, type PhasePlan } from './phases';
import { PROBED, PROBES_PER_SCENARIO, probeRequestCalls, type RequestCalls } from './request-calls';
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

export interface ApiMeasurement {
  phases: PhaseResult[];
  calls: RequestCalls[];
}

/**
 * Creates the invitations the plans need, counts the DynamoDB requests of a registration and a validation
 * (on invitations of their own, so the plans' registrations find every slot they count on), then runs the plans one after another on the load worker, which sends the counted validation's requests
 * straight to DynamoDB Local as its replay scenario.
 */
export async function measureApi(stack: EmbeddedStack, plans: readonly PhasePlan[]): Promise<ApiMeasurement> {
  const count = invitationsNeeded(plans);
  const probeCount = Math.ceil(PROBES_PER_SCENARIO / DEVICES_PER_INVITATION);
  console.error(`bench/api: creating ${count + probeCount} invitations…`);
  const created = await createInvitations(stack, count + probeCount);
  const tokens = created.slice(0, count);
  console.error('bench/api: counting the DynamoDB requests of each request…');
  const calls = await probeRequestCalls(stack.endpoint, created.slice(count));
  const validation = calls[PROBED.indexOf('validate')]!;
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), {
    workerData: {
      endpoint: stack.endpoint,
      tokens,
      dynamodb: stack.emulators.dynamodb,
      replay: validation.trips,
    } satisfies LoadWorkerData,
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
    return { phases: results, calls };
  } finally {
    await worker.terminate();
  }
}
