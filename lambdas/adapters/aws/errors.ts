import { STATUS_CODES } from 'node:http';

/**
 * A request an AWS service refused or failed: `name` is the service's error code (`NoSuchKey`,
 * `ConditionalCheckFailedException`…), `status` the HTTP status.
 */
export class AwsError extends Error {
  /** Where the SDK's errors keep the status, so the SDK's retry rules read this error as they read those. */
  readonly $metadata: { httpStatusCode: number };

  constructor(
    code: string,
    message: string,
    readonly status: number,
  ) {
    super(`${message} (HTTP ${status})`);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
  }
}

/**
 * The error an answer tells of: the code and message the service gave, its HTTP status standing in for either where
 * the answer has none (an empty body, a proxy's page), as the SDK names them (404 `NotFound`, 412
 * `PreconditionFailed`…).
 */
export function answeredError(status: number, code: string | undefined, message: string | undefined): AwsError {
  const statusText = STATUS_CODES[status] ?? 'Unknown status';
  return new AwsError(code || statusText.replace(/\W/g, ''), message || statusText, status);
}
