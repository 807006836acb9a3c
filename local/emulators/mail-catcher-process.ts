import { mkdirSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseArgs } from 'node:util';
import { MailDev } from 'maildev';
import { LOOPBACK } from '../stack/ports';

/**
 * The mail catcher's process (see `mail-catcher.ts`): maildev, its SMTP server and its web interface both on
 * LOOPBACK, keeping the mail under `--mail-directory`, so it survives a restart. Silent: its log lines would name the
 * recipients. Prints `{"smtpPort", "webPort"}` on one line once both listen; stops on SIGTERM, or once its stdin
 * closes (the stack ended without stopping it).
 */

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Has `server` answer only pages of its own: a request naming another host (a DNS-rebinding site's) or sent by
 * another origin's page is refused. maildev lets any origin read its API, and the mail it holds carries live
 * invitations.
 */
function admitOwnPagesOnly(server: Server, port: number): void {
  const own = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  const admitted = ({ headers }: IncomingMessage) =>
    own.has(headers.host ?? '') && (headers.origin === undefined || own.has(headers.origin.replace(/^http:\/\//, '')));

  const requestListeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response) => {
    if (admitted(request)) for (const listener of requestListeners) listener.call(server, request, response);
    else response.writeHead(403, { 'content-type': 'text/plain' }).end('Only pages of this mail catcher may use it\n');
  });
  const upgradeListeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (admitted(request)) for (const listener of upgradeListeners) listener.call(server, request, socket, head);
    else socket.destroy();
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'smtp-port': { type: 'string' }, 'web-port': { type: 'string' }, 'mail-directory': { type: 'string' } },
  });
  const mailDirectory = values['mail-directory'];
  if (!mailDirectory) throw new Error('Usage: mail-catcher-process.ts --smtp-port N --web-port N --mail-directory DIR');
  mkdirSync(mailDirectory, { recursive: true, mode: 0o700 });
  const maildev = new MailDev({
    smtp: Number(values['smtp-port']),
    ip: LOOPBACK,
    web: Number(values['web-port']),
    webIp: LOOPBACK,
    mailDirectory,
    silent: true,
  });
  const { smtp, api } = await maildev.start();
  const web = api?.getAddress();
  if (!api || !web) throw new Error('maildev started without its web interface');
  admitOwnPagesOnly(api.server.server, web.port);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    maildev.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Could not stop maildev cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.stdin.once('close', stop).resume();
  process.stdout.write(`${JSON.stringify({ smtpPort: smtp.getAddress().port, webPort: web.port })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
