import { ApiError, CliError } from './errors';

/** Time as the waiting commands see it; tests give one that does not really wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const MINUTE_MS = 60_000;
const MAX_DELAY_MS = 5_000;
/** Failed reads in a row that a wait sits out (a network blip, a throttled or briefly failing API). */
const MAX_TRANSIENT_FAILURES = 5;

/** Every second for the first minute, then a little longer as the work goes on: every 2 s at 2 minutes, at most 5 s. */
export const pollDelay = (elapsedMs: number) =>
  Math.min(MAX_DELAY_MS, Math.round(1_000 * Math.max(1, elapsedMs / MINUTE_MS)));

export interface PollOptions<T> {
  clock: Clock;
  timeoutMs: number;
  isDone: (value: T) => boolean;
  /** Each value read, the last (done) one included. */
  onUpdate?: (value: T) => void;
  /** The error to give up with once `timeoutMs` has passed, given the last value read. */
  onTimeout: (last: T | undefined) => CliError;
}

/** What a command that waits for work says about its wait. */
export type WaitOptions<T> = Pick<PollOptions<T>, 'clock' | 'timeoutMs' | 'onUpdate'>;

/** Reads `read()` until `isDone`, sleeping `pollDelay` between reads; gives up after `timeoutMs`. */
export async function pollUntil<T>(read: () => Promise<T>, options: PollOptions<T>): Promise<T> {
  const { clock, timeoutMs } = options;
  const start = clock.now();
  let last: T | undefined;
  let failures = 0;
  for (;;) {
    try {
      last = await read();
      failures = 0;
      options.onUpdate?.(last);
      if (options.isDone(last)) return last;
    } catch (error) {
      if (!isTransient(error) || ++failures > MAX_TRANSIENT_FAILURES) throw error;
    }
    const elapsed = clock.now() - start;
    if (elapsed >= timeoutMs) throw options.onTimeout(last);
    await clock.sleep(Math.min(pollDelay(elapsed), timeoutMs - elapsed));
  }
}

const isTransient = (error: unknown) =>
  error instanceof ApiError
    ? error.status === 429 || error.status >= 500
    : error instanceof CliError && ['timeout', 'connection_failed'].includes(error.code);
