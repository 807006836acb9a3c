import { Webhook as Verifier } from 'standardwebhooks';
import { deliverWebhook } from '../../../../../lambdas/usecases/webhooks/deliver';
import {
  createWebhook,
  listDeliveries,
  removeWebhook,
  testWebhook,
} from '../../../../../lambdas/usecases/webhooks/manage';
import { memoryDeps } from '../../../../support/memory/deps';
import { AS_ADMIN } from '../../../../support/origins';

const NOW = new Date('2026-12-03T10:00:00Z');

async function queuedTest(kind: 'standard' | 'slack' = 'standard') {
  const deps = memoryDeps({ now: NOW });
  const { webhook, secret } = await createWebhook(
    deps,
    { url: 'https://hooks.example.org/in', events: ['*'], kind },
    AS_ADMIN,
  );
  await testWebhook(deps, webhook.id, AS_ADMIN);
  const [message] = deps.deliveries.sent;
  return { deps, webhook, secret, message: message! };
}

const deliveries = async (deps: ReturnType<typeof memoryDeps>, id: string) =>
  (await listDeliveries(deps, id, 10)).items;

afterEach(() => jest.restoreAllMocks());

describe('delivering a webhook', () => {
  test('signs as Standard Webhooks says: the receiver verifies it with the secret, webhook-id the delivery id', async () => {
    const { deps, webhook, secret, message } = await queuedTest();
    // The receiver checks the timestamp against its own clock.
    jest.spyOn(Date, 'now').mockReturnValue(NOW.getTime());
    expect(await deliverWebhook(deps, message, 1)).toEqual({ outcome: 'delivered' });
    const [request] = deps.sendWebhook.requests;
    expect(request!.url).toBe(webhook.url);
    expect(request!.headers['webhook-id']).toBe(message.deliveryId);
    expect(request!.headers['webhook-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(new Verifier(secret).verify(request!.body, request!.headers)).toMatchObject({ type: 'webhook.test' });
    expect(() => new Verifier(secret).verify(request!.body.replace('test', 'tset'), request!.headers)).toThrow();
    expect(await deliveries(deps, webhook.id)).toEqual([
      expect.objectContaining({ status: 'delivered', attempts: [{ at: '2026-12-03T10:00:00Z', statusCode: 200 }] }),
    ]);
  });

  test('a slack endpoint gets one readable line and no signature', async () => {
    const { deps, message } = await queuedTest('slack');
    await deliverWebhook(deps, message, 1);
    const [request] = deps.sendWebhook.requests;
    expect(JSON.parse(request!.body)).toEqual({ text: expect.stringContaining('this webhook works') });
    expect(request!.headers).not.toHaveProperty('webhook-signature');
  });

  test('a failed attempt is recorded with its status and the start of the answer, and waits its step', async () => {
    const { deps, webhook, message } = await queuedTest();
    deps.sendWebhook.answers.push({ statusCode: 500, body: 'x'.repeat(300) });
    expect(await deliverWebhook(deps, message, 1)).toEqual({ outcome: 'failed', retryAfterSeconds: 5 });
    deps.sendWebhook.answers.push({ error: 'refused: resolves to a private address' });
    expect(await deliverWebhook(deps, message, 2)).toEqual({ outcome: 'failed', retryAfterSeconds: 300 });
    const [delivery] = await deliveries(deps, webhook.id);
    expect(delivery).toMatchObject({
      status: 'failed',
      nextAttemptAt: '2026-12-03T10:05:00Z',
      attempts: [
        { at: '2026-12-03T10:00:00Z', statusCode: 500, response: 'x'.repeat(200) },
        { at: '2026-12-03T10:00:00Z', error: 'refused: resolves to a private address' },
      ],
    });
    expect(deps.sendWebhook.requests[1]!.headers['webhook-id']).toBe(message.deliveryId);
  });

  test('the last attempt failing ends the delivery dead-lettered', async () => {
    const { deps, webhook, message } = await queuedTest();
    deps.sendWebhook.answers.push({ statusCode: 503, body: '' });
    expect(await deliverWebhook(deps, message, 8)).toEqual({ outcome: 'dead_lettered' });
    const [delivery] = await deliveries(deps, webhook.id);
    expect(delivery).toMatchObject({ status: 'dead_lettered' });
    expect(delivery).not.toHaveProperty('nextAttemptAt');
  });

  test('a removed endpoint gets nothing more', async () => {
    const { deps, webhook, message } = await queuedTest();
    await removeWebhook(deps, webhook.id, AS_ADMIN);
    expect(await deliverWebhook(deps, message, 1)).toEqual({ outcome: 'dropped' });
    expect(deps.sendWebhook.requests).toEqual([]);
  });
});
