import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopback } from '../endpoint';
import { CliError } from '../errors';
import type { RegistryClient } from '../http';
import { type Answer, errorAnswer, jsonAnswer, send } from './answers';
import { DOWNLOAD_PATHS, sendDownload } from './downloads';
import { API_PREFIX, FORWARDED_BODY_MAX_BYTES, forwardToRegistry } from './forward';
import { ConsoleGuard, type Refusal } from './guard';
import type { PageFiles } from './page-files';

export interface ConsoleServerOptions {
  client: RegistryClient;
  page: PageFiles;
  /** 0: a free port. */
  port: number;
}

export interface ConsoleServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Opens a session: the only URL that carries the opening secret. */
  openingUrl: string;
  close(): Promise<void>;
}

/** `GET /session`: which registry this console speaks to. */
export interface ConsoleSession {
  endpoint: string;
  embedded: boolean;
}

/** Starts the console's server on 127.0.0.1 (docs/CONSOLE.md). */
export async function startConsoleServer({ client, page, port }: ConsoleServerOptions): Promise<ConsoleServer> {
  const server = createServer();
  await listen(server, port);
  const bound = (server.address() as AddressInfo).port;
  const guard = new ConsoleGuard(bound);
  const origin = `http://127.0.0.1:${bound}`;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const refusal = guard.checkPlace(request.method ?? '', request.headers);
    if (refusal) return refuse(response, refusal);
    const url = new URL(request.url ?? '/', 'http://console.invalid');
    if (request.method === 'GET' && url.pathname === '/open') return openSession(guard, url, response);
    const noSession = guard.checkSession(request.headers);
    if (noSession) return refuse(response, noSession, url.pathname);
    await route(request, response, url);
  };
  const route = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const method = request.method ?? '';
    const { pathname } = url;
    if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
      const body = await readBody(request);
      if (body === undefined) return send(response, tooLarge());
      const path = pathname.slice(API_PREFIX.length) || '/';
      const answer = await forwardToRegistry(client, {
        method,
        path,
        search: url.search,
        headers: request.headers,
        body,
      });
      return send(response, answer);
    }
    if (method !== 'GET') return send(response, errorAnswer(405, 'method_not_allowed', `${method} ${pathname}`));
    if (pathname === '/' || pathname === '/index.html') return send(response, await page.index());
    if (pathname.startsWith('/assets/')) return send(response, await page.asset(pathname.slice('/assets/'.length)));
    if (pathname === '/session') return send(response, jsonAnswer(sessionOf(client.endpoint)));
    for (const { pattern, kind } of DOWNLOAD_PATHS) {
      const id = pattern.exec(pathname)?.[1];
      if (id) return sendDownload(client, kind, id, response);
    }
    send(response, errorAnswer(404, 'not_found', `nothing at ${pathname}`));
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`prism-registry console: ${(error as Error).message}\n`);
      if (!response.headersSent) send(response, errorAnswer(500, 'console_error', 'the console failed this request'));
      else response.destroy();
    });
  });
  return { origin, openingUrl: guard.openingUrl(origin), close: () => closeServer(server) };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError(
              `port ${port} on 127.0.0.1 is in use; give another with --port, or none for a free one`,
              'port_in_use',
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

const sessionOf = (endpoint: URL): ConsoleSession => ({ endpoint: endpoint.href, embedded: isLoopback(endpoint) });

function openSession(guard: ConsoleGuard, url: URL, response: ServerResponse): void {
  if (!guard.opens(url.searchParams.get('secret'))) {
    return refuse(
      response,
      { status: 401, code: 'wrong_secret', message: 'this is not the URL the console printed' },
      '/',
    );
  }
  send(response, { status: 303, headers: { location: '/', 'set-cookie': guard.sessionCookie() }, body: '' });
}

/** A refusal: a short page where a person navigated, the error envelope where the page's code asked. */
function refuse(response: ServerResponse, refusal: Refusal, pathname?: string): void {
  const wantsPage = pathname === '/' || pathname === '/index.html';
  const answer: Answer = wantsPage
    ? {
        status: refusal.status,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `Prism Registry console: ${refusal.message}.\n`,
      }
    : errorAnswer(refusal.status, refusal.code, refusal.message);
  send(response, answer);
}

const tooLarge = () =>
  errorAnswer(
    413,
    'request_too_large',
    `the console passes on at most ${FORWARDED_BODY_MAX_BYTES / 1024 / 1024} MiB; ` +
      'start a larger batch with `prism-registry invitations batch-create`',
  );

/**
 * The whole body, or undefined once it passes the limit. A body announced too large is refused before it is
 * read; one that grows too large is read to its end and dropped, so the refusal still reaches the page.
 */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > FORWARDED_BODY_MAX_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= FORWARDED_BODY_MAX_BYTES) chunks.push(chunk);
  }
  return size > FORWARDED_BODY_MAX_BYTES ? undefined : Buffer.concat(chunks);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
