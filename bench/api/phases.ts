import { LIMITS } from '../../lambdas/domain/invitation';

/** The scenarios sent through the gateway. */
export const HTTP_SCENARIOS = ['health', 'register', 'validate'] as const;
export type HttpScenario = (typeof HTTP_SCENARIOS)[number];

/** The DynamoDB requests one validation made, sent again straight to DynamoDB Local: the API's own ceiling. */
export const REPLAY_SCENARIO = 'validation-calls';

export const SCENARIOS = [...HTTP_SCENARIOS, REPLAY_SCENARIO] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** The no-op route every other figure is held against. */
export const CEILING_SCENARIO: ScenarioName = 'health';

/** The concurrency at which validation and registration should reach TARGET_SHARE of the replayed calls' rate. */
export const TARGET_CONCURRENCY = 16;
export const TARGET_SHARE = 0.7;

export const CONCURRENCIES = [1, 16, 64] as const;

/** Measured requests per phase; each phase also stops after PHASE_TIME_LIMIT_MS. */
const REQUESTS_AT: Record<(typeof CONCURRENCIES)[number], number> = { 1: 300, 16: 1500, 64: 3000 };
export const PHASE_TIME_LIMIT_MS = 15_000;
const WARMUP_TIME_LIMIT_MS = 5_000;

/** Registrations spread round-robin over invitations allowing the most devices, so none runs out of slots. */
export const DEVICES_PER_INVITATION = LIMITS.maxDevices.max;

export interface PhasePlan {
  scenario: ScenarioName;
  concurrency: number;
  /** Unmeasured requests first: modules loaded, connections open, JIT warm. */
  warmupRequests: number;
  warmupTimeLimitMs: number;
  requests: number;
  timeLimitMs: number;
}

/**
 * Every scenario at every concurrency; validation after registration, so it has the registered devices to
 * validate, and the replayed calls last.
 */
export const PHASE_PLANS: readonly PhasePlan[] = SCENARIOS.flatMap((scenario) =>
  CONCURRENCIES.map((concurrency) => ({
    scenario,
    concurrency,
    warmupRequests: 20 + 4 * concurrency,
    warmupTimeLimitMs: WARMUP_TIME_LIMIT_MS,
    requests: REQUESTS_AT[concurrency],
    timeLimitMs: PHASE_TIME_LIMIT_MS,
  })),
);

/** Invitations needed for every registration the plans may send, warm-up included. */
export function invitationsNeeded(plans: readonly PhasePlan[]): number {
  const registrations = plans
    .filter((plan) => plan.scenario === 'register')
    .reduce((sum, plan) => sum + plan.warmupRequests + plan.requests, 0);
  return Math.ceil(registrations / DEVICES_PER_INVITATION);
}
