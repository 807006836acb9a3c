import { writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { scratchFolder } from './scratch';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  /** `raw` as text. */
  body: string;
}

export interface Answer {
  status?: number;
  /** A Buffer or a string goes out as it is; anything else as JSON. */
  body: unknown;
  type?: string;
  headers?: Record<string, string>;
}

/** Answers by `METHOD /path` (the query string left out). */
export type Routes = Record<string, (request: Recorded) => Answer>;

export interface FakeApi {
  endpoint: string;
  routes: Routes;
  recorded: Recorded[];
}

/**
 * A local HTTP server that plays the registry API (and the presigned S3 URLs) for in-process CLI tests, or S3 for
 * the S3 adapter's: it answers from `routes`, recording every request; both are emptied before each test. Call at
 * a test file's top level.
 */
export function fakeApi(): FakeApi {
  const api: FakeApi = { endpoint: '', routes: {}, recorded: [] };
  let server: Server;
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const entry = {
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          raw,
          body: raw.toString(),
        };
        api.recorded.push(entry);
        const route = api.routes[`${entry.method} ${entry.url.split('?')[0]}`];
        const answer = route?.(entry) ?? { status: 404, body: { error: { code: 'not_found', message: 'no route' } } };
        const body =
          Buffer.isBuffer(answer.body) || typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        response.writeHead(answer.status ?? 200, {
          'content-type': answer.type ?? 'application/json',
          ...answer.headers,
        });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    api.routes = {};
    api.recorded = [];
  });
  return api;
}

/** The local administrator credentials `cliHome` holds, for tests that check a request's signature. */
export const CLI_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret', region: 'local-1' };

/** A data folder holding local credentials as the embedded stack writes them, which the CLI finds by itself. */
export function cliHome(prefix: string): string {
  const home = scratchFolder(prefix);
  writeFileSync(join(home, 'credentials.json'), JSON.stringify(CLI_CREDENTIALS));
  return home;
}
