import { type Command, Option } from 'commander';
import {
  type CreateInvitationBody,
  type ListInvitationsQuery,
  invitationType,
  listInvitationsQuery,
} from '../../lambdas/contract/schemas';
import type { InvitationPage, IssuedInvitation, SentInvitation } from '../../lambdas/contract/views';
import { listDevices, revokeAllDevices, revokeDevice } from '../device-admin';
import { booleanOptions, timeoutOption, wholeNumberOption } from '../flags';
import type { RegistryClient } from '../http';
import { findInvitation, invitationIdOf, invitationPath } from '../invitation-ref';
import { awaitJob } from '../job-runs';
import { allPages } from '../pages';
import {
  renderDevices,
  renderInvitation,
  renderInvitationPage,
  renderIssued,
  renderCascadedRevocation,
  renderRevokedAllDevices,
  renderRevokedDevice,
  renderRevokedInvitation,
  renderSentInvitation,
} from '../render';
import type { RevokedInvitation } from '../../lambdas/contract/views';
import type { OpenSession } from '../session';
import { addBatchCreateCommand } from './batches';
import { addDeviceJobCommands } from './device-jobs';
import { addBatchExportCommand } from './exports';

const INVITATION_STATUSES = listInvitationsQuery.shape.status.def.innerType.options;
const REFERENCE = '<invitation>';
const REFERENCE_HELP = 'invitation id, or its token (inv-…)';

export function registerInvitationCommands(program: Command, open: OpenSession): void {
  const invitations = program.command('invitations').description('Create, inspect, rotate and revoke invitations');

  addCreateCommand(
    invitations,
    open,
    'create',
    'Create an invitation (admin invitations may invite unless told not to)',
  );
  addCreateCommand(invitations, open, 'create-secure', 'Create an invitation that may not invite unless told to', {
    canInvite: false,
  });

  addBatchCreateCommand(invitations, open);
  addBatchExportCommand(invitations, open);

  invitations
    .command('list')
    .description('List invitations')
    .addOption(new Option('--status <status>', 'only this status').choices(INVITATION_STATUSES))
    .addOption(new Option('--type <type>', 'only this type').choices(invitationType.options))
    .addOption(new Option('--parent-id <id>', 'only sub-invitations of this invitation').conflicts('roots'))
    .option('--batch-id <id>', 'only invitations of this batch')
    .option('--name <prefix>', 'only names starting with this')
    .option('--roots', 'only invitations without a parent (the tops of the delegation trees)')
    .addOption(wholeNumberOption('--limit <count>', 'invitations per page (1-100)'))
    .option('--cursor <cursor>', 'continue a listing where the previous page ended')
    .option('--all', 'follow every page')
    .action(async (options: ListOptions, command: Command) => {
      const session = open(command);
      const { all, limit, roots, ...filters } = options;
      const query = { ...filters, ...(roots && { roots: 'true' as const }), limit: limit?.toString() };
      session.show(
        await (all ? listAll(session.client, query) : listPage(session.client, query)),
        renderInvitationPage,
      );
    });

  invitations
    .command('get')
    .description('Show one invitation')
    .argument(REFERENCE, REFERENCE_HELP)
    .action(async (reference: string, _options: object, command: Command) => {
      const session = open(command);
      session.show(await findInvitation(session.client, reference), renderInvitation);
    });

  invitations
    .command('revoke')
    .description(
      'Revoke an invitation for good, with its devices; with --cascade, wait while every sub-invitation is revoked too',
    )
    .argument(REFERENCE, REFERENCE_HELP)
    .option('--reason <reason>', 'why (kept with the revocation)')
    .option(
      '--cascade',
      'also revoke every sub-invitation below it, at any depth, as a job (safe to run again, also once revoked)',
    )
    .addOption(timeoutOption('with --cascade: the job'))
    .action(async (reference: string, options: RevokeOptions, command: Command) => {
      const session = open(command);
      const { timeout, ...body } = options;
      const revoked = await session.client.admin<RevokedInvitation>({
        method: 'POST',
        path: invitationPath(await invitationIdOf(session.client, reference), 'revoke'),
        body,
      });
      if (!revoked.job) return session.show(revoked, renderRevokedInvitation);
      const { job } = await awaitJob(session, revoked.job, timeout, (answer) => ({ ...revoked, job: answer.job }));
      session.show({ ...revoked, job }, renderCascadedRevocation, job.progress.failed > 0 ? 1 : 0);
    });

  invitations
    .command('rotate')
    .description('Issue a new token (the old one stops working) and make a suspended invitation active again')
    .argument(REFERENCE, REFERENCE_HELP)
    .action(async (reference: string, _options: object, command: Command) => {
      const session = open(command);
      const issued = await session.client.admin<IssuedInvitation>({
        method: 'POST',
        path: invitationPath(await invitationIdOf(session.client, reference), 'rotate'),
        body: {},
      });
      session.show(issued, (answer) => renderIssued(answer, 'Rotated invitation'));
    });

  invitations
    .command('send')
    .description('E-mail an invitation to its address: a new token first (the old one stops working), then the message')
    .argument(REFERENCE, REFERENCE_HELP)
    .action(async (reference: string, _options: object, command: Command) => {
      const session = open(command);
      const sent = await session.client.admin<SentInvitation>({
        method: 'POST',
        path: invitationPath(await invitationIdOf(session.client, reference), 'send'),
        body: {},
      });
      session.show(sent, renderSentInvitation);
    });

  // A command group with a default, so `invitations devices <invitation>` reads as in the seeds beside
  // `invitations devices export-info` and the other registry-wide device commands.
  const devices = invitations
    .command('devices')
    .description('The devices of one invitation; exports and bulk operations over every device');
  devices
    .command('list', { isDefault: true })
    .description('List the devices of one invitation (also: invitations devices <invitation>)')
    .argument(REFERENCE, REFERENCE_HELP)
    .action(async (reference: string, _options: object, command: Command) => {
      const session = open(command);
      session.show(await listDevices(session.client, reference), renderDevices);
    });
  addDeviceJobCommands(devices, open);

  invitations
    .command('revoke-device')
    .description('Revoke one device; the invitation stays usable for others')
    .argument(REFERENCE, REFERENCE_HELP)
    .argument('<device>', 'device id (device-…)')
    .option('--reason <reason>', 'why (kept with the revocation)')
    .action(async (reference: string, deviceId: string, options: { reason?: string }, command: Command) => {
      const session = open(command);
      session.show(await revokeDevice(session.client, reference, deviceId, options.reason), renderRevokedDevice);
    });

  invitations
    .command('revoke-all')
    .description('Revoke every device of an invitation and suspend it until it is rotated')
    .argument(REFERENCE, REFERENCE_HELP)
    .option('--reason <reason>', 'why (kept with the revocation)')
    .action(async (reference: string, options: { reason?: string }, command: Command) => {
      const session = open(command);
      session.show(await revokeAllDevices(session.client, reference, options.reason), renderRevokedAllDevices);
    });
}

interface RevokeOptions {
  reason?: string;
  cascade?: boolean;
  timeout: number;
}

/** The request body's fields as flags, `--s3-config` giving `s3ConfigPath`; policy restrictions have none. */
type CreateOptions = Omit<CreateInvitationBody, 'name' | 's3ConfigPath' | 'policyRestrictions'> & {
  s3Config?: string;
  idempotencyKey?: string;
};

/** `create` and `create-secure` differ only in their defaults (docs/SPEC.md §3.1). */
function addCreateCommand(
  parent: Command,
  open: OpenSession,
  name: string,
  description: string,
  defaults: Pick<CreateInvitationBody, 'canInvite'> = {},
): void {
  const command = parent
    .command(name)
    .description(description)
    .argument('<name>', 'label of the invitation (1-200 characters)');
  for (const option of createOptions(defaults.canInvite === false ? 'default no' : 'default yes for admin, else no')) {
    command.addOption(option);
  }
  command.action(async (invitationName: string, options: CreateOptions, command: Command) => {
    const session = open(command);
    const { s3Config, idempotencyKey, ...settings } = options;
    const body: CreateInvitationBody = {
      ...settings,
      name: invitationName,
      canInvite: options.canInvite ?? defaults.canInvite,
      s3ConfigPath: s3Config,
    };
    const issued = await session.client.admin<IssuedInvitation>({
      method: 'POST',
      path: '/invitations',
      body,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
    });
    session.show(issued, (answer) => renderIssued(answer, 'Created invitation'));
  });
}

const createOptions = (canInviteDefault: string): Option[] => [
  new Option('--type <type>', 'permission level').choices(invitationType.options).default('read_only'),
  wholeNumberOption('--valid-days <days>', 'days until it expires (1-3650, default 30)'),
  ...booleanOptions('can-invite', `may its holder create sub-invitations, ${canInviteDefault}`),
  ...booleanOptions('transferable', 'may more than one person use it, default no'),
  ...booleanOptions('device-bound', 'must every use be tied to a registered device, default yes'),
  wholeNumberOption('--max-devices <count>', 'active devices at once (1-5, default 1)'),
  wholeNumberOption(
    '--max-descendants <count>',
    'invitations that may ever be created below it, all depths (0-1000000, default the stack setting)',
  ),
  new Option('--parent-token <token>', 'create it under this invitation (by token)').conflicts('parentId'),
  new Option('--parent-id <id>', 'create it under this invitation (by id)').conflicts('parentToken'),
  new Option('--s3-config <path>', 'S3 configuration path carried into the profile (s3://bucket/prefix)'),
  new Option('--owner-account <account>', 'AWS account carried into the profile'),
  new Option('--owner-profile <profile>', 'profile name carried into the recipient profile'),
  new Option('--email <address>', "the recipient's e-mail address (kept for the administrator, not in the invitation)"),
  new Option('--deliver', 'e-mail the invitation to --email once it is created (queued; never delays the create)'),
  new Option('--idempotency-key <key>', 'repeat a request safely: the same key gives the same invitation'),
];

type ListQuery = Omit<ListInvitationsQuery, 'limit' | 'roots'> & { limit?: string; roots?: 'true' };

interface ListOptions extends Omit<ListQuery, 'limit' | 'roots'> {
  limit?: number;
  roots?: boolean;
  all?: boolean;
}

const listPage = (client: RegistryClient, query: ListQuery) =>
  client.admin<InvitationPage>({ method: 'GET', path: '/invitations', query });

const listAll = (client: RegistryClient, query: ListQuery): Promise<InvitationPage> =>
  allPages('invitations', (cursor) => listPage(client, { ...query, cursor }), query.cursor);
