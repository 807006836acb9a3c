import { parentPort, workerData } from 'node:worker_threads';
import { closedLoop, type LoadOutcome } from './closed-loop';
import { loopbackClient } from './loopback-client';
import type { PhasePlan } from './phases';
import { scenarioRequests } from './scenarios';

/**
 * The load clients, on a thread of their own so that their work does not queue behind the gateway's on
 * the main thread's event loop. Answers each PhasePlan message with a PhaseOutcome.
 */
export interface LoadWorkerData {
  endpoint: string;
  /** Tokens of the invitations registrations go to. */
  tokens: string[];
}

export interface PhaseOutcome extends LoadOutcome {
  warmupFailures: string[];
}

const { endpoint, tokens } = workerData as LoadWorkerData;
const requests = scenarioRequests(loopbackClient(endpoint), tokens);
const port = parentPort!;

async function runPhase(plan: PhasePlan): Promise<PhaseOutcome> {
  const send = requests[plan.scenario];
  const { concurrency } = plan;
  const warmup = await closedLoop(
    { concurrency, requests: plan.warmupRequests, timeLimitMs: plan.warmupTimeLimitMs },
    send,
  );
  const measured = await closedLoop({ concurrency, requests: plan.requests, timeLimitMs: plan.timeLimitMs }, send);
  return { ...measured, warmupFailures: warmup.failures };
}

port.on('message', (plan: PhasePlan) => {
  void runPhase(plan).then((outcome) => port.postMessage(outcome));
});
