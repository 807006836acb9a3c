/**
 * The statuses an AWS answer may carry without a body (a HEAD's, a proxy's page), by their HTTP reason phrase. Not
 * `node:http`'s STATUS_CODES: importing `node:http` as an ES module also loads Node's bundled undici (for the
 * `WebSocket` it exports), about 30 ms of every function's cold start.
 */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

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
  const statusText = REASON_PHRASES[status] ?? 'Unknown status';
  return new AwsError(code || statusText.replace(/\W/g, ''), message || statusText, status);
}
