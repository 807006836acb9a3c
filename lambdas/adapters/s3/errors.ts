import { type AwsError, answeredError } from '../aws/errors';
import { MalformedXml, XmlAnswer } from './xml';

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
export function s3ErrorOf(status: number, body: string): AwsError {
  const { code, message } = errorElement(body);
  return answeredError(status, code, message);
}
