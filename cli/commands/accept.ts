import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AcceptBody } from '../../lambdas/contract/schemas';
import type { AcceptedInvitation } from '../../lambdas/contract/views';
import { renderAccepted } from '../render';
import type { OpenSession } from '../session';

interface AcceptOptions {
  encoded: string;
  name?: string;
  deviceId?: string;
  hostname?: string;
  username?: string;
  label?: string;
}

/** What a recipient's Prism client does on `prism profiles accept-invitation` (unsigned, docs/SPEC.md §4.2). */
export function registerAcceptCommand(program: Command, open: OpenSession): void {
  program
    .command('accept-invitation')
    .description('Accept an encoded invitation and register this device with it')
    .requiredOption('--encoded <encoded>', 'the encoded invitation')
    .option('--name <name>', 'profile name (default: the invitation name)')
    .option('--device-id <id>', 'device id to register (default: the registry makes one)')
    .option('--hostname <hostname>', 'reported host name (default: this machine’s)')
    .option('--username <username>', 'reported user name (default: the current user)')
    .option('--label <label>', 'a label for the device')
    .action(async (options: AcceptOptions, command: Command) => {
      const session = open(command);
      const body: AcceptBody = {
        encoded: options.encoded,
        name: options.name,
        device: {
          deviceId: options.deviceId,
          hostname: options.hostname ?? hostname(),
          username: options.username ?? userInfo().username,
          label: options.label,
        },
      };
      const accepted = await session.client.recipient<AcceptedInvitation>({ method: 'POST', path: '/accept', body });
      session.show(accepted, renderAccepted);
    });
}
