import type { Command } from 'commander';
import { startConsoleServer } from '../console/server';
import { openBrowser } from '../console/open-browser';
import { PageFiles } from '../console/page-files';
import { wholeNumberInOption } from '../flags';
import type { OpenSession } from '../session';

interface ConsoleOptions {
  port?: number;
  open: boolean;
}

/** Resolves when the process is asked to stop (Ctrl-C, or a service manager's SIGTERM). */
const stopRequested = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/** `console` (docs/SPEC.md §4.9, docs/CONSOLE.md): the admin console, served on 127.0.0.1 until stopped. */
export function registerConsoleCommand(program: Command, open: OpenSession): void {
  program
    .command('console')
    .description('Serve the admin console on 127.0.0.1, signed with your credentials, and open it in the browser')
    .addOption(wholeNumberInOption('--port <port>', 'port to listen on (default: a free one)', { min: 1, max: 65535 }))
    .option('--no-open', 'print the URL without opening a browser')
    .action(async (options: ConsoleOptions, command: Command) => {
      const { client, io } = open(command);
      // One cheap administrator call first: a stopped stack or missing credentials fail here, said once.
      await client.admin({ method: 'GET', path: '/jobs', query: { limit: '1' } });
      const page = new PageFiles();
      await page.ensureBuilt();
      const server = await startConsoleServer({ client, page, port: options.port ?? 0 });
      io.stdout(
        `Prism Registry console for ${client.endpoint.href}\n` +
          `  ${server.openingUrl}\n` +
          'This URL opens an administrator session: keep it to yourself. Ctrl-C stops the console.\n',
      );
      if (options.open && !(await openBrowser(server.openingUrl))) {
        io.stderr('prism-registry: could not start a browser; open the URL above\n');
      }
      await stopRequested();
      await server.close();
    });
}
