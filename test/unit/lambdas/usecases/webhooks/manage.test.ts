import { openSecret } from '../../../../../lambdas/domain/webhook-secret';
import { MAX_WEBHOOKS } from '../../../../../lambdas/domain/webhook';
import { dispatchWebhookEvents } from '../../../../../lambdas/usecases/webhooks/dispatch';
import {
  createWebhook,
  listDeliveries,
  listWebhooks,
  removeWebhook,
  testWebhook,
} from '../../../../../lambdas/usecases/webhooks/manage';
import { auditEvent } from '../../../../../lambdas/domain/audit';
import { memoryDeps } from '../../../../support/memory/deps';
import { AS_ADMIN } from '../../../../support/origins';

const HOOK = { url: 'https://hooks.example.org/prism?key=k', events: ['device.registered'] };
const event = (action: 'device.registered' | 'invitation.revoked', eventId: string) =>
  auditEvent(AS_ADMIN, action, 'target', { invitationId: 'inv1' }, { eventId, at: '2026-12-03T10:00:00Z' });

describe('managing webhooks', () => {
  test('a new endpoint answers its secret once, stores it sealed, and audits its host alone', async () => {
    const deps = memoryDeps();
    const { webhook, secret } = await createWebhook(deps, { ...HOOK, description: 'ops' }, AS_ADMIN);
    expect(webhook).toMatchObject({ url: HOOK.url, events: HOOK.events, kind: 'standard', description: 'ops' });
    expect(webhook).not.toHaveProperty('secret');
    const stored = deps.webhooks.endpoints.get(webhook.id)!;
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(openSecret(await deps.keyRing(), stored.secret)).toBe(secret);
    const [created] = [...deps.tables.audit.values()];
    expect(created).toMatchObject({
      action: 'webhook.created',
      targetId: webhook.id,
      details: { host: 'hooks.example.org' },
    });
    expect(JSON.stringify(created)).not.toContain('key=k');
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(JSON.stringify(await listWebhooks(deps))).not.toContain('whsec_');
  });

  test('a token pasted into the description is stored masked', async () => {
    const deps = memoryDeps();
    const token = `inv-${'A'.repeat(43)}`;
    const { webhook } = await createWebhook(deps, { ...HOOK, description: `for ${token}` }, AS_ADMIN);
    expect(webhook.description).toBe(`for ${token.slice(0, 8)}…${token.slice(-4)}`);
    expect(JSON.stringify(await listWebhooks(deps))).not.toContain(token);
  });

  test.each([
    ['https://user:pass@hooks.example.org/', 'url: must not carry credentials'],
    ['http://hooks.example.org/', 'url: must use https'],
    ['http://127.0.0.1:8080/', 'url: must use https'],
  ])('refuses %s with a 400', async (url, message) => {
    const deps = memoryDeps();
    await expect(createWebhook(deps, { ...HOOK, url }, AS_ADMIN)).rejects.toMatchObject({ status: 400, message });
    expect(deps.webhooks.endpoints.size).toBe(0);
  });

  test('loopback http is accepted where the stack allows it', async () => {
    const deps = { ...memoryDeps(), allowLoopbackWebhooks: true };
    await expect(createWebhook(deps, { ...HOOK, url: 'http://127.0.0.1:8080/' }, AS_ADMIN)).resolves.toBeDefined();
  });

  test(`keeps at most ${MAX_WEBHOOKS} endpoints`, async () => {
    const deps = memoryDeps();
    for (let n = 0; n < MAX_WEBHOOKS; n++) await createWebhook(deps, HOOK, AS_ADMIN);
    await expect(createWebhook(deps, HOOK, AS_ADMIN)).rejects.toMatchObject({ status: 409, code: 'too_many_webhooks' });
  });

  test('removing audits it; an unknown endpoint is a 404', async () => {
    const deps = memoryDeps();
    const { webhook } = await createWebhook(deps, HOOK, AS_ADMIN);
    await removeWebhook(deps, webhook.id, AS_ADMIN);
    expect(await listWebhooks(deps)).toEqual([]);
    expect([...deps.tables.audit.values()].map(({ action }) => action)).toEqual(['webhook.created', 'webhook.removed']);
    await expect(removeWebhook(deps, webhook.id, AS_ADMIN)).rejects.toMatchObject({ status: 404 });
    await expect(listDeliveries(deps, webhook.id, 10)).rejects.toMatchObject({ status: 404 });
  });

  test('a test queues webhook.test to that endpoint, recorded pending', async () => {
    const deps = memoryDeps();
    const { webhook } = await createWebhook(deps, HOOK, AS_ADMIN);
    const { deliveryId } = await testWebhook(deps, webhook.id, AS_ADMIN);
    expect(deps.deliveries.sent).toEqual([
      { deliveryId, webhookId: webhook.id, payload: expect.objectContaining({ type: 'webhook.test' }) },
    ]);
    expect((await listDeliveries(deps, webhook.id, 10)).items).toEqual([
      expect.objectContaining({ id: deliveryId, action: 'webhook.test', status: 'pending', attempts: [] }),
    ]);
    await expect(testWebhook(deps, 'missing', AS_ADMIN)).rejects.toMatchObject({ status: 404 });
  });
});

describe('dispatching audit events', () => {
  test('queues each event once per subscribed endpoint, in its published form', async () => {
    const deps = memoryDeps();
    const devices = (await createWebhook(deps, HOOK, AS_ADMIN)).webhook;
    const everything = (await createWebhook(deps, { ...HOOK, events: ['*'] }, AS_ADMIN)).webhook;
    const queued = await dispatchWebhookEvents(deps, [
      event('device.registered', '01JEVENT000000000000000001'),
      event('invitation.revoked', '01JEVENT000000000000000002'),
    ]);
    expect(queued).toBe(3);
    expect(deps.deliveries.sent.map(({ webhookId, payload }) => [webhookId, payload.type])).toEqual([
      [everything.id, 'device.registered'],
      [devices.id, 'device.registered'],
      [everything.id, 'invitation.revoked'],
    ]);
    expect((await listDeliveries(deps, everything.id, 10)).items.map(({ id }) => id)).toEqual([
      '01JEVENT000000000000000002',
      '01JEVENT000000000000000001',
    ]);
  });

  test('an event handed over twice keeps one delivery record, and is queued again (at least once)', async () => {
    const deps = memoryDeps();
    const { webhook } = await createWebhook(deps, HOOK, AS_ADMIN);
    const registered = event('device.registered', '01JEVENT000000000000000001');
    await dispatchWebhookEvents(deps, [registered]);
    await dispatchWebhookEvents(deps, [registered]);
    expect((await listDeliveries(deps, webhook.id, 10)).items).toHaveLength(1);
    expect(deps.deliveries.sent).toHaveLength(2);
  });

  test('no endpoint, no delivery', async () => {
    const deps = memoryDeps();
    expect(await dispatchWebhookEvents(deps, [event('device.registered', '01JEVENT000000000000000001')])).toBe(0);
    expect(deps.deliveries.sent).toEqual([]);
  });
});
