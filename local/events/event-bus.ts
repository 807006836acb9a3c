import { createServer } from 'node:http';
import { appendEvents } from './event-log';
import { close, listen } from '../stack/http-server';
import { LOOPBACK } from '../stack/ports';
import { putEvents, type JsonAnswer } from './put-events';
import { readBody } from '../gateway/request-body';

/** Larger than any valid PutEvents request (entries total 256 KiB at most). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface LocalEventBusOptions {
  /** 0 picks a free port (on LOOPBACK, as every port of the embedded stack). */
  port: number;
  /** The event log (`stackFiles().events`). */
  file: string;
}

export interface LocalEventBus {
  /** For `AWS_ENDPOINT_URL_EVENTBRIDGE`. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * The registry's EventBridge bus on one HTTP port: PutEvents (JSON 1.1, as the SDK sends it) appends each
 * accepted event to the event log before answering, so whoever reads the log after a put finds it there.
 */
export async function startLocalEventBus({ port, file }: LocalEventBusOptions) {
  // One append at a time, so concurrent puts never interleave their lines.
  let appending = Promise.resolve();

  const answer = async (target: string | undefined, body: Buffer | undefined): Promise<JsonAnswer> => {
    if (!body) return { status: 413, body: { __type: 'ValidationException', message: 'The request is too large.' } };
    const outcome = putEvents(target, body.toString('utf8'));
    if (outcome.events.length > 0) {
      const written = appending.then(() => appendEvents(file, outcome.events));
      appending = written.catch(() => undefined);
      await written;
    }
    return outcome.answer;
  };

  const server = createServer((request, response) => {
    const target = request.headers['x-amz-target'];
    readBody(request, MAX_BODY_BYTES)
      .then((body) => answer(Array.isArray(target) ? target[0] : target, body))
      .catch((error: unknown): JsonAnswer => {
        console.error('[events] PutEvents failed:', error);
        return { status: 500, body: { __type: 'InternalException', message: 'The event could not be recorded.' } };
      })
      .then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      });
  });

  const listeningPort = await listen(server, port);
  return { endpoint: `http://${LOOPBACK}:${listeningPort}`, close: () => close(server) } satisfies LocalEventBus;
}
