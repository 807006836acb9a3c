import { run } from '../../../cli/main';
import type { CreatedWebhook, WebhookDeliveryPage } from '../../../lambdas/contract/views';
import { type Recorded, cliHome, fakeApi } from '../../support/fake-api';

const home = cliHome('prism-cli-webhooks-');
const api = fakeApi();

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(['--endpoint', api.endpoint, ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { PRISM_REGISTRY_HOME: home },
  });
  return { code, stdout, stderr };
}

const bodyOf = (request: Recorded | undefined) => JSON.parse(request?.body ?? 'null');
const SECRET = `whsec_${'A'.repeat(43)}=`;
const webhook = {
  id: '01JHOOK0000000000000000000',
  url: 'https://hooks.example.org/prism',
  events: ['device.registered', 'batch.completed'],
  kind: 'standard' as const,
  createdAt: '2026-12-03T10:00:00Z',
  createdBy: 'admin',
};
const created: CreatedWebhook = { webhook, secret: SECRET };

describe('webhooks add', () => {
  beforeEach(() => {
    api.routes = { 'POST /webhooks': () => ({ status: 201, body: created }) };
  });

  it('posts the URL, the events and the options, and prints the secret once with a warning', async () => {
    const { code, stdout } = await cli([
      'webhooks',
      'add',
      webhook.url,
      '--events',
      'device.registered, batch.completed',
      '--kind',
      'slack',
      '--description',
      'ops',
    ]);
    expect(code).toBe(0);
    expect(bodyOf(api.recorded[0])).toEqual({
      url: webhook.url,
      events: ['device.registered', 'batch.completed'],
      kind: 'slack',
      description: 'ops',
    });
    expect(stdout).toContain(`Signing secret: ${SECRET}`);
    expect(stdout).toContain('shown this once');
  });

  it('with --json prints the answer and warns on stderr', async () => {
    const { code, stdout, stderr } = await cli(['--json', 'webhooks', 'add', webhook.url, '--events', '*']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(created);
    expect(stderr).toContain('shown this once');
  });

  it('refuses an unknown action before sending anything', async () => {
    const { code, stderr } = await cli(['webhooks', 'add', webhook.url, '--events', 'device.registred']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('unknown action(s) device.registred');
    expect(api.recorded).toEqual([]);
  });

  it('refuses an unknown kind', async () => {
    const { code } = await cli(['webhooks', 'add', webhook.url, '--events', '*', '--kind', 'teams']);
    expect(code).not.toBe(0);
    expect(api.recorded).toEqual([]);
  });
});

describe('webhooks list, remove, test, deliveries', () => {
  it('lists endpoints', async () => {
    api.routes = { 'GET /webhooks': () => ({ body: { webhooks: [webhook] } }) };
    const { code, stdout } = await cli(['webhooks', 'list']);
    expect(code).toBe(0);
    expect(stdout).toContain(webhook.id);
    expect(stdout).toContain('device.registered, batch.completed');
  });

  it('removes one', async () => {
    api.routes = { [`DELETE /webhooks/${webhook.id}`]: () => ({ body: { removed: webhook.id } }) };
    const { code, stdout } = await cli(['webhooks', 'remove', webhook.id]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Webhook ${webhook.id} removed.`);
  });

  it('queues a test and says how to follow it', async () => {
    api.routes = { [`POST /webhooks/${webhook.id}/test`]: () => ({ status: 202, body: { deliveryId: 'd1' } }) };
    const { code, stdout } = await cli(['webhooks', 'test', webhook.id]);
    expect(code).toBe(0);
    expect(stdout).toContain('Test delivery d1 queued');
  });

  it('shows deliveries with their status, attempts and last answer', async () => {
    const page: WebhookDeliveryPage = {
      deliveries: [
        {
          id: 'd2',
          webhookId: webhook.id,
          action: 'device.registered',
          status: 'failed',
          attempts: [{ at: '2026-12-03T10:00:00Z', statusCode: 500 }],
          createdAt: '2026-12-03T10:00:00Z',
          nextAttemptAt: '2026-12-03T10:00:05Z',
        },
      ],
    };
    api.routes = { [`GET /webhooks/${webhook.id}/deliveries`]: () => ({ body: page }) };
    const { code, stdout } = await cli(['webhooks', 'deliveries', webhook.id, '--limit', '5']);
    expect(code).toBe(0);
    expect(api.recorded[0]!.url).toContain('limit=5');
    expect(stdout).toMatch(/d2\s+device\.registered\s+failed\s+1\s+500\s+2026-12-03T10:00:05Z/);
  });

  it('a refusal exits non-zero with the reason on stderr', async () => {
    api.routes = {
      [`DELETE /webhooks/missing`]: () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'Webhook not found', requestId: 'r' } },
      }),
    };
    const { code, stderr } = await cli(['webhooks', 'remove', 'missing']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Webhook not found');
  });
});
