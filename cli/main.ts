import { Command, CommanderError } from 'commander';
import { registerAcceptCommand } from './commands/accept';
import { registerAuditCommand } from './commands/audit';
import { registerBatchCommands } from './commands/batches';
import { registerConsoleCommand } from './commands/console';
import { registerDeviceCommands } from './commands/devices';
import { registerInvitationCommands } from './commands/invitations';
import { registerJobCommands } from './commands/jobs';
import { registerWebhookCommands } from './commands/webhooks';
import { CliError, formatError, formatUsageError } from './errors';
import { type CliIo, type OpenSession, sessionOpener } from './session';

/**
 * Runs `prism-registry <argv>` and resolves to its exit status. Output goes through `io` (default: the process's
 * own streams and environment), so tests can run the CLI in-process.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = {
    ...io,
    stdout: io.stdout ?? ((text) => process.stdout.write(text)),
    stderr: io.stderr ?? ((text) => process.stderr.write(text)),
    env: io.env ?? process.env,
  };
  let exitCode = 0;
  const program = buildProgram(
    cli,
    sessionOpener(cli, (code) => (exitCode = code)),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already printed its own errors (through `outputError`) and help.
    if (error instanceof CommanderError) return error.exitCode;
    cli.stderr(`${formatError(error)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

export function buildProgram(io: CliIo, open: OpenSession): Command {
  // Settings made before the subcommands are added are inherited by them.
  const program = new Command('prism-registry')
    .description('Administer the Prism Invitation Registry')
    .option('--endpoint <url>', 'registry API base URL (default: PRISM_REGISTRY_API, CWS_REGISTRY_API, embedded stack)')
    .option('--json', 'print the API answer as JSON instead of text')
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (message, write) => write(`${formatUsageError(message)}\n`),
    });
  registerInvitationCommands(program, open);
  registerAcceptCommand(program, open);
  registerDeviceCommands(program, open);
  registerBatchCommands(program, open);
  registerJobCommands(program, open);
  registerAuditCommand(program, open);
  registerWebhookCommands(program, open);
  registerConsoleCommand(program, open);
  // The seeds say `prism profiles invitations …`; `prism-registry profiles invitations …` means the same.
  const profiles = program.command('profiles', { hidden: true });
  registerInvitationCommands(profiles, open);
  registerAcceptCommand(profiles, open);
  return program;
}
