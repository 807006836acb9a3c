import { isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorType, SdkError } from '@smithy/types';

/** The SDK's standard mode: the first attempt and up to two retries. */
const MAX_ATTEMPTS = 3;

/**
 * As the SDK's retry middleware tells them apart: throttling (429, `SlowDown`…) and transient failures (500, 502,
 * 503, 504, timeouts, connections reset or refused) are worth another attempt; anything else is not.
 */
function retryErrorType(error: unknown): RetryErrorType {
  if (!(error instanceof Error)) return 'CLIENT_ERROR';
  if (isThrottlingError(error as SdkError)) return 'THROTTLING';
  return isTransientError(error as SdkError) ? 'TRANSIENT' : 'CLIENT_ERROR';
}

/**
 * Runs attempts under the SDK's standard retry strategy: exponential backoff with full jitter, and a retry quota
 * shared by all the client's requests (one client per process), so an S3 in trouble is not hammered. The attempt
 * must be safe to repeat.
 */
export class Retries {
  private readonly strategy = new StandardRetryStrategy(MAX_ATTEMPTS);

  async run<T>(attempt: () => Promise<T>): Promise<T> {
    let token = await this.strategy.acquireInitialRetryToken('s3');
    for (;;) {
      try {
        const result = await attempt();
        this.strategy.recordSuccess(token);
        return result;
      } catch (error) {
        try {
          // Waits out the backoff; refuses when the error is not worth a retry or no retry is left.
          token = await this.strategy.refreshRetryTokenForRetry(token, { errorType: retryErrorType(error) });
        } catch {
          throw error;
        }
      }
    }
  }
}
