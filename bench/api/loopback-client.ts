import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  body: string;
}

export interface LoopbackClient {
  send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer>;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A keep-alive HTTP client that only talks to 127.0.0.1: load is never aimed at another machine.
 * Plain `node:http` rather than fetch, so the client's own cost stays small beside the server's.
 */
export function loopbackClient(endpoint: string): LoopbackClient {
  const base = new URL(endpoint);
  if (base.hostname !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${base.hostname}`);
  const agent = new Agent({ keepAlive: true });

  const send = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const outgoing = request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path,
          timeout: REQUEST_TIMEOUT_MS,
          headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => (text += chunk));
          incoming.once('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
          incoming.once('error', reject);
        },
      );
      outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      outgoing.once('error', reject);
      outgoing.end(payload);
    });

  return { send };
}
