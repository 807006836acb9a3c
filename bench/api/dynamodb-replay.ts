import { Agent, request } from 'node:http';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../../local/emulators/local-aws';
import type { SendRequest } from './closed-loop';
import type { WireRequest } from './request-calls';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * DynamoDB Local checks that a request is signed, not the signature: a well-formed header for the emulator's
 * credentials is enough, and signing each request again would put the signer's cost into the ceiling.
 */
const AUTHORIZATION =
  `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/20260101/${LOCAL_REGION}/dynamodb/aws4_request, ` +
  `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;

/**
 * Sends `trips` (DynamoDB requests as one validation sent them) straight to DynamoDB Local on keep-alive
 * connections, round trip after round trip, the requests of one round trip side by side. A request DynamoDB
 * Local does not answer 200 is a wrong answer.
 */
export function dynamodbReplay(endpoint: string, trips: readonly WireRequest[][]): SendRequest {
  const base = new URL(endpoint);
  if (base.hostname !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${base.hostname}`);
  const agent = new Agent({ keepAlive: true });

  const send = ({ operation, body }: WireRequest) =>
    new Promise<string | undefined>((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: '/',
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${operation}`,
            'x-amz-date': '20260101T000000Z',
            authorization: AUTHORIZATION,
          },
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => (text += chunk));
          incoming.once('end', () =>
            resolve(incoming.statusCode === 200 ? undefined : `${operation}: HTTP ${incoming.statusCode} ${text}`),
          );
          incoming.once('error', reject);
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      outgoing.once('error', reject);
      outgoing.end(body);
    });

  return async () => {
    for (const trip of trips) {
      const failures = (await Promise.all(trip.map(send))).filter((failure) => failure !== undefined);
      if (failures.length > 0) return failures[0];
    }
    return undefined;
  };
}
