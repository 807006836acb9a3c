import { text } from 'node:stream/consumers';
import { type AwsError, answeredError } from './errors';
import type { AwsService, AwsSettings } from './settings';
import { AwsTransport, type WireAnswer } from './transport';

/** A service that speaks AWS's JSON protocol. */
export interface JsonService extends AwsService {
  /** What precedes the operation in `X-Amz-Target` (`DynamoDB_20120810`, `AmazonSQS`…). */
  targetPrefix: string;
  /** Its protocol's version, in its content type: `application/x-amz-json-<version>`. */
  jsonVersion: '1.0' | '1.1';
}

export type Json = Record<string, unknown>;

function parsed(body: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** An error code without the namespace (`com.amazonaws.dynamodb.v20120810#`) or the URI some services append. */
const bareCode = (code: string): string => code.split(':')[0]!.split('#').pop()!.trim();

/**
 * The error an answer outside 2xx tells of, as the SDK's clients make it: its code from the `x-amzn-errortype`
 * header or the body's `__type`/`code`, its message the body's `message`/`Message`, the body's other members (a
 * transaction's `CancellationReasons`…) on the error as they came; from the status alone where the body says
 * nothing (a proxy's page). All of it redacted: a service may quote the signed request it refused.
 */
export function jsonErrorOf({ status, headers, redact }: WireAnswer, body: string): AwsError {
  const { __type: type, code: bodyCode, message: lower, Message: upper, ...members } = parsed(body) ?? ({} as Json);
  const code = [headers['x-amzn-errortype'], type, bodyCode].find((value) => typeof value === 'string' && value);
  const message = [lower, upper].find((value) => typeof value === 'string' && value);
  const error = answeredError(
    status,
    code === undefined ? undefined : bareCode(code as string),
    message === undefined ? undefined : redact(message as string),
  );
  return Object.assign(error, JSON.parse(redact(JSON.stringify(members))) as Json);
}

/**
 * One AWS service's JSON protocol through the shared transport: each operation is a POST to `/` naming itself in
 * `X-Amz-Target`, its input and output JSON documents. Retried as the SDK retries (throttling, 5xx, network
 * errors; never a refused condition or an invalid request); an answer outside 2xx becomes an `AwsError`.
 */
export class AwsJsonClient {
  private readonly transport: AwsTransport;

  constructor(
    private readonly service: JsonService,
    settings: AwsSettings,
  ) {
    this.transport = new AwsTransport(service, settings);
  }

  /** Sends `operation` with `input`; resolves with its output as the service gave it. */
  call<Output = Json>(operation: string, input: object): Promise<Output> {
    const body = JSON.stringify(input);
    const headers = {
      'content-type': `application/x-amz-json-${this.service.jsonVersion}`,
      'x-amz-target': `${this.service.targetPrefix}.${operation}`,
    };
    const service = this.service.endpointId.toLowerCase();
    return this.transport.attempts({ service, operation, body }, async () => {
      const answer = await this.transport.exchange({ method: 'POST', path: '/', headers, body });
      const output = await text(answer.body);
      if (answer.status < 200 || answer.status > 299) throw jsonErrorOf(answer, output);
      if (!output.trim()) return {} as Output;
      const document = parsed(output);
      if (!document) throw new Error(`${service} answered ${operation} with no JSON document (HTTP ${answer.status})`);
      return document as Output;
    });
  }
}
