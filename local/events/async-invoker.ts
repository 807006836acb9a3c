import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../../system/functions';
import { ASYNC_RETRY_ATTEMPTS } from '../../system/resources';
import type { InvokeFunction } from '../stack/lambda-runtime';

/**
 * Waits before each retry of a failed asynchronous invocation: Lambda retries twice, after about one and
 * then two minutes; locally seconds, so a fix can be tried at once.
 */
export const ASYNC_RETRY_DELAYS_MS = Array.from({ length: ASYNC_RETRY_ATTEMPTS }, (_, n) => 2_000 * 2 ** n);

export interface AsyncInvoker {
  /** Returns at once. `subject` names what the event is about in the log (never secrets). */
  invoke(name: FunctionName, event: unknown, subject: string): void;
  /** Drops the retries still waiting (logging them) and waits for the invocations under way. */
  stop(): Promise<void>;
}

/** Invokes functions as Lambda does for S3 events: asynchronously, retrying one that throws. */
export function asyncInvoker(invoke: InvokeFunction): AsyncInvoker {
  const running = new Set<Promise<void>>();
  const stopping = new AbortController();

  /** Resolves true once `milliseconds` have passed, false as soon as the invoker stops. */
  const retryPause = (milliseconds: number) =>
    new Promise<boolean>((resolve) => {
      const abandon = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener('abort', abandon);
        resolve(true);
      }, milliseconds);
      stopping.signal.addEventListener('abort', abandon, { once: true });
    });

  async function run(name: FunctionName, event: unknown, subject: string): Promise<void> {
    // Lambda keeps the request id across the retries of one event.
    const requestId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        await invoke(name, event, requestId);
        return;
      } catch (error) {
        const failure = `[async] ${name} ${requestId} for ${subject} failed (attempt ${attempt})`;
        const delay = ASYNC_RETRY_DELAYS_MS[attempt - 1];
        if (delay === undefined || stopping.signal.aborted) {
          console.error(`${failure}; giving up:`, error);
          return;
        }
        console.error(`${failure}; retrying in ${delay / 1000}s:`, error);
        if (!(await retryPause(delay))) {
          console.error(`[async] ${name} ${requestId} for ${subject}: retry dropped, the stack is stopping`);
          return;
        }
      }
    }
  }

  return {
    invoke: (name, event, subject) => {
      const invocation = run(name, event, subject);
      running.add(invocation);
      void invocation.finally(() => running.delete(invocation));
    },
    stop: async () => {
      stopping.abort();
      await Promise.all(running);
    },
  };
}
