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
