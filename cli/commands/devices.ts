import { type Command, Option } from 'commander';
import { listDevices, revokeAllDevices, revokeDevice } from '../device-admin';
import { CliError } from '../errors';
import { asJson } from '../output';
import { renderDevices, renderRevokedAllDevices, renderRevokedDevice, renderValidation } from '../render';
import type { DeviceValidation } from '../../lambdas/contract/views';
import type { OpenSession } from '../session';

const TOKEN_HELP = 'invitation token (inv-…) or id';

/** The seeds' device manager (`go run scripts/device-manager.go <verb> --token T ...`). */
export function registerDeviceCommands(program: Command, open: OpenSession): void {
  const devices = program.command('devices').description('Device manager: the devices of one invitation, by token');

  devices
    .command('list')
    .description('List the devices registered with an invitation')
    .requiredOption('--token <token>', TOKEN_HELP)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options: { token: string; format: 'table' | 'json' }, command: Command) => {
      const session = open(command);
      session.show(
        await listDevices(session.client, options.token),
        options.format === 'json' ? asJson : renderDevices,
      );
    });

  devices
    .command('revoke')
    .description('Revoke one device')
    .requiredOption('--token <token>', TOKEN_HELP)
    .requiredOption('--device <device>', 'device id (device-…)')
    .option('--reason <reason>', 'why (kept with the revocation)')
    .action(async (options: { token: string; device: string; reason?: string }, command: Command) => {
      const session = open(command);
      session.show(
        await revokeDevice(session.client, options.token, options.device, options.reason),
        renderRevokedDevice,
      );
    });

  devices
    .command('revoke-all')
    .description('Revoke every device of an invitation and suspend it until it is rotated (needs --force)')
    .requiredOption('--token <token>', TOKEN_HELP)
    .option('--force', 'really revoke every device')
    .option('--reason <reason>', 'why (kept with the revocation)')
    .action(async (options: { token: string; force?: boolean; reason?: string }, command: Command) => {
      if (!options.force) {
        throw new CliError(
          'revoke-all revokes every device of the invitation and suspends it until it is rotated; rerun with --force',
          'confirmation_required',
        );
      }
      const session = open(command);
      session.show(await revokeAllDevices(session.client, options.token, options.reason), renderRevokedAllDevices);
    });

  devices
    .command('validate')
    .description('Is this device valid for this token (exit status 0 when valid, 1 when not)')
    .requiredOption('--token <token>', 'invitation token (inv-…)')
    .requiredOption('--device <device>', 'device id (device-…)')
    .action(async (options: { token: string; device: string }, command: Command) => {
      const session = open(command);
      // The recipient contract (docs/SPEC.md §4.2) carries the token in the query; it is the one route that does.
      const validation = await session.client.recipient<DeviceValidation>({
        method: 'GET',
        path: '/registry/validate',
        query: { token: options.token, device: options.device },
      });
      session.show(validation, renderValidation, validation.valid ? 0 : 1);
    });
}
