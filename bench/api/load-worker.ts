import { parentPort, workerData } from 'node:worker_threads';
import { closedLoop, type LoadOutcome, type SendRequest } from './closed-loop';
import { dynamodbReplay } from './dynamodb-replay';
import { loopbackClient } from './loopback-client';
import { REPLAY_SCENARIO, type PhasePlan, type ScenarioName } from './phases';
import type { WireRequest } from './request-calls';
import { scenarioRequests } from './scenarios';

/**
 * The load clients, on a thread of their own so that their work does not queue behind the gateway's on
 * the main thread's event loop. Answers each PhasePlan message with a PhaseOutcome.
 */
export interface LoadWorkerData {
  endpoint: string;
  /** Tokens of the invitations registrations go to. */
  tokens: string[];
  /** DynamoDB Local's endpoint, and the requests of one validation to send it again. */
  dynamodb: string;
  replay: WireRequest[][];
}

export interface PhaseOutcome extends LoadOutcome {
  warmupFailures: string[];
}

const { endpoint, tokens, dynamodb, replay } = workerData as LoadWorkerData;
const requests: Record<ScenarioName, SendRequest> = {
  ...scenarioRequests(loopbackClient(endpoint), tokens),
  [REPLAY_SCENARIO]: dynamodbReplay(dynamodb, replay),
};
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
