import { type Command, Option } from 'commander';
import { type AuditQuery, auditQuery } from '../../lambdas/contract/schemas';
import type { AuditPage } from '../../lambdas/contract/views';
import { CliError } from '../errors';
import { pageLimitOption } from '../flags';
import { allPages } from '../pages';
import { renderAuditPage } from '../render';
import type { OpenSession } from '../session';
import { type TimeFlag, parseTime, timeOf } from '../times';

interface AuditOptions {
  since?: TimeFlag;
  until?: TimeFlag;
  action?: AuditQuery['action'];
  actor?: string;
  target?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}

const TIME_FORMS = 'RFC 3339, a day (2026-11-21) or an age back from now (30m, 24h, 7d, 2w)';

/** `audit` (docs/SPEC.md §4.5): the audit log, newest first. */
export function registerAuditCommand(program: Command, open: OpenSession): void {
  program
    .command('audit')
    .description('Audit events, newest first: who changed what, when')
    .addOption(new Option('--since <time>', `only events from this time: ${TIME_FORMS}`).argParser(parseTime))
    .addOption(new Option('--until <time>', 'only events up to this time (the same forms)').argParser(parseTime))
    .addOption(
      new Option('--action <action>', 'only this action').choices(auditQuery.shape.action.def.innerType.options),
    )
    .option('--actor <principal>', 'only events caused by this principal (an IAM ARN, system:<job>, …)')
    .option('--target <id>', 'only events about this invitation, device, batch or job')
    .addOption(pageLimitOption('events'))
    .option('--cursor <cursor>', 'continue a listing where the previous page ended')
    .option('--all', 'follow every page')
    .action(async (options: AuditOptions, command: Command) => {
      const session = open(command);
      const now = session.io.clock.now();
      const since = options.since && timeOf(options.since, now);
      const until = options.until && timeOf(options.until, now);
      if (since && until && Date.parse(since) > Date.parse(until)) {
        throw new CliError(`--since ${since} is after --until ${until}`, 'usage');
      }
      const query = {
        since,
        until,
        action: options.action,
        actor: options.actor,
        targetId: options.target,
        limit: options.limit?.toString(),
      };
      const readPage = (cursor: string | undefined) =>
        session.client.admin<AuditPage>({ method: 'GET', path: '/audit', query: { ...query, cursor } });
      session.show(
        await (options.all ? allPages('events', readPage, options.cursor) : readPage(options.cursor)),
        renderAuditPage,
      );
    });
}
