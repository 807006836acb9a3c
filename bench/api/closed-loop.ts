export interface LoadLimits {
  /** Clients, each sending its next request when the previous one is answered. */
  concurrency: number;
  /** Requests in all; the loop stops at this count or at the time limit, whichever comes first. */
  requests: number;
  timeLimitMs: number;
}

/** Sends one request; resolves to what is wrong with its answer, or undefined when the answer is right. */
export type SendRequest = () => Promise<string | undefined>;

export interface LoadOutcome {
  /** Latency of every request answered right. */
  latenciesMs: number[];
  /** One description per request answered wrong or not at all. */
  failures: string[];
  elapsedMs: number;
}

/** Closed-loop load: `concurrency` clients in lock-step with their answers, bounded in count and time. */
export async function closedLoop(limits: LoadLimits, send: SendRequest): Promise<LoadOutcome> {
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  const startedAt = performance.now();
  const deadline = startedAt + limits.timeLimitMs;
  let issued = 0;

  const client = async () => {
    while (issued < limits.requests && performance.now() < deadline) {
      issued++;
      const sentAt = performance.now();
      const failure = await send().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      if (failure === undefined) latenciesMs.push(performance.now() - sentAt);
      else failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, client));
  return { latenciesMs, failures, elapsedMs: performance.now() - startedAt };
}
