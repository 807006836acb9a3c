import { STATUS_CODES } from 'node:http';
import { MalformedXml, XmlAnswer } from './xml';

/** A request S3 refused or failed: `name` is S3's error code (`NoSuchKey`, `SlowDown`…), `status` the HTTP status. */
export class S3Error extends Error {
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

/** `<Error>`'s code and message, or nothing when the body is no S3 error (empty, as a HEAD's, or a proxy's page). */
function errorElement(body: string): { code?: string; message?: string } {
  try {
    const answer = new XmlAnswer(body);
    return answer.root === 'Error' ? { code: answer.text('Code'), message: answer.text('Message') } : {};
  } catch (error) {
    if (error instanceof MalformedXml) return {};
    throw error;
  }
}

/**
 * The error an answer tells of, from its `<Error>` body; from its status alone where the body says nothing
 * (404 is `NotFound`, 412 `PreconditionFailed`, as the SDK names them). Nothing else of the body is kept: S3
 * may echo the request it refused there, signature included.
 */
export function s3ErrorOf(status: number, body: string): S3Error {
  const { code, message } = errorElement(body);
  const statusText = STATUS_CODES[status] ?? 'Unknown status';
  return new S3Error(code || statusText.replace(/\W/g, ''), message || statusText, status);
}
