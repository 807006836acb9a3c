import { type Command, Option } from 'commander';
import { WEBHOOK_EVENTS, WEBHOOK_KINDS } from '../../lambdas/contract/schemas';
import type {
  CreatedWebhook,
  QueuedTestDelivery,
  RemovedWebhook,
  WebhookDeliveryPage,
  WebhookList,
} from '../../lambdas/contract/views';
import { CliError } from '../errors';
import { pageLimitOption } from '../flags';
import { allPages } from '../pages';
import { renderCreatedWebhook, renderDeliveryPage, renderWebhookList } from '../render-webhooks';
import type { OpenSession } from '../session';

const ID = '<id>';
const ID_HELP = 'webhook id';

/** `--events a,b`: the actions, each checked so a typo is refused before anything is sent. */
function eventList(value: string): string[] {
  const events = value
    .split(',')
    .map((event) => event.trim())
    .filter((event) => event !== '');
  const unknown = events.filter((event) => !WEBHOOK_EVENTS.includes(event));
  if (events.length === 0 || unknown.length > 0) {
    throw new CliError(
      `--events ${unknown.length > 0 ? `names unknown action(s) ${unknown.join(', ')}` : 'names no action'}: use * or ${WEBHOOK_EVENTS.slice(1).join(', ')}`,
      'usage',
    );
  }
  return events;
}

/** `webhooks add | list | remove | test | deliveries` (docs/SPEC.md §4.8). */
export function registerWebhookCommands(program: Command, open: OpenSession): void {
  const webhooks = program.command('webhooks').description('Send registry events to HTTP endpoints, signed');

  webhooks
    .command('add')
    .description('Register an endpoint and print its signing secret (shown this once)')
    .argument('<url>', 'where deliveries are POSTed (https)')
    .requiredOption(
      '--events <actions>',
      'comma-separated audit actions, or * for all (e.g. device.registered,batch.completed)',
    )
    .addOption(
      new Option('--kind <kind>', 'standard (signed JSON) or slack (an incoming-webhook message)').choices(
        WEBHOOK_KINDS,
      ),
    )
    .option('--description <text>', 'what it is for')
    .action(async (url: string, options: { events: string; kind?: string; description?: string }, command: Command) => {
      const session = open(command);
      const body = {
        url,
        events: eventList(options.events),
        ...(options.kind && { kind: options.kind }),
        ...(options.description !== undefined && { description: options.description }),
      };
      const created = await session.client.admin<CreatedWebhook>({ method: 'POST', path: '/webhooks', body });
      session.show(created, renderCreatedWebhook);
      if (session.json) session.io.stderr('The signing secret is shown this once: store it now.\n');
    });

  webhooks
    .command('list')
    .description('List endpoints, newest first (never their secrets)')
    .action(async (_options: object, command: Command) => {
      const session = open(command);
      session.show(await session.client.admin<WebhookList>({ method: 'GET', path: '/webhooks' }), renderWebhookList);
    });

  webhooks
    .command('remove')
    .description('Remove an endpoint: deliveries still queued for it are dropped')
    .argument(ID, ID_HELP)
    .action(async (id: string, _options: object, command: Command) => {
      const session = open(command);
      const removed = await session.client.admin<RemovedWebhook>({
        method: 'DELETE',
        path: `/webhooks/${encodeURIComponent(id)}`,
      });
      session.show(removed, () => `Webhook ${id} removed.`);
    });

  webhooks
    .command('test')
    .description('Queue the sample event webhook.test to one endpoint')
    .argument(ID, ID_HELP)
    .action(async (id: string, _options: object, command: Command) => {
      const session = open(command);
      const queued = await session.client.admin<QueuedTestDelivery>({
        method: 'POST',
        path: `/webhooks/${encodeURIComponent(id)}/test`,
        body: {},
      });
      session.show(
        queued,
        ({ deliveryId }) => `Test delivery ${deliveryId} queued: follow it with \`webhooks deliveries ${id}\`.`,
      );
    });

  webhooks
    .command('deliveries')
    .description("An endpoint's deliveries, newest first: status, attempts, last answer, next attempt")
    .argument(ID, ID_HELP)
    .addOption(pageLimitOption('deliveries'))
    .option('--cursor <cursor>', 'continue a listing where the previous page ended')
    .option('--all', 'follow every page')
    .action(async (id: string, options: { limit?: number; cursor?: string; all?: boolean }, command: Command) => {
      const session = open(command);
      const readPage = (cursor: string | undefined) =>
        session.client.admin<WebhookDeliveryPage>({
          method: 'GET',
          path: `/webhooks/${encodeURIComponent(id)}/deliveries`,
          query: { limit: options.limit?.toString(), cursor },
        });
      session.show(
        await (options.all ? allPages('deliveries', readPage, options.cursor) : readPage(options.cursor)),
        renderDeliveryPage,
      );
    });
}
