import type { StoredWebhook, WebhookDelivery } from '../../../lambdas/domain/webhook';
import type { AuditLog, WebhookRepository } from '../../../lambdas/ports';
import { eventOf, newId } from './fixtures';

export interface WebhookPorts {
  webhooks: WebhookRepository;
  auditLog: Pick<AuditLog, 'ofTarget'>;
}

const stored = (overrides: Partial<StoredWebhook> = {}): StoredWebhook => ({
  id: newId(),
  url: 'https://hooks.example.org/in',
  events: ['device.registered'],
  kind: 'standard',
  createdAt: '2026-12-03T10:00:00Z',
  createdBy: 'admin',
  secret: { kid: 'k1', iv: 'aXY=', data: 'ZGF0YQ==', tag: 'dGFn' },
  ...overrides,
});

const pending = (webhookId: string, id = newId()): WebhookDelivery => ({
  id,
  webhookId,
  action: 'device.registered',
  status: 'pending',
  attempts: [],
  createdAt: '2026-12-03T10:00:00Z',
});

/** The webhook repository's promises: endpoints with their events, and each endpoint's delivery log. */
export function webhookRepositoryContract(make: () => Promise<WebhookPorts>): void {
  let ports: WebhookPorts;
  beforeAll(async () => {
    ports = await make();
  });

  describe('webhook repository', () => {
    test('an endpoint is created with its event, listed newest first, and removed once with its event', async () => {
      const first = stored();
      const second = stored({ kind: 'slack', description: 'ops', events: ['*'] });
      await ports.webhooks.create(first, eventOf(first.id));
      await ports.webhooks.create(second, eventOf(second.id));
      expect(await ports.webhooks.get(first.id)).toEqual(first);
      const listed = await ports.webhooks.list();
      expect(listed.indexOf(listed.find(({ id }) => id === second.id)!)).toBeLessThan(
        listed.indexOf(listed.find(({ id }) => id === first.id)!),
      );
      expect(await ports.webhooks.remove(first.id, eventOf(first.id))).toBe(true);
      expect(await ports.webhooks.remove(first.id, eventOf(first.id))).toBe(false);
      expect(await ports.webhooks.get(first.id)).toBeUndefined();
      expect(await ports.auditLog.ofTarget(first.id)).toHaveLength(2);
    });

    test('a delivery is recorded once, gathers its attempts, and lists newest first in pages', async () => {
      const webhookId = newId();
      const older = pending(webhookId);
      const newer = pending(webhookId);
      await ports.webhooks.recordPending(older);
      await ports.webhooks.recordPending(newer);
      await ports.webhooks.recordPending({ ...older, action: 'invitation.revoked' });
      const failed = { at: '2026-12-03T10:00:05Z', statusCode: 500, response: 'down' };
      await ports.webhooks.recordAttempt(webhookId, older.id, failed, 'failed', '2026-12-03T10:00:10Z');
      await ports.webhooks.recordAttempt(
        webhookId,
        older.id,
        { at: '2026-12-03T10:00:10Z', statusCode: 204 },
        'delivered',
      );
      const first = await ports.webhooks.listDeliveries(webhookId, 1);
      expect(first.items).toEqual([newer]);
      const second = await ports.webhooks.listDeliveries(webhookId, 1, first.cursor);
      expect(second.items).toEqual([
        { ...older, status: 'delivered', attempts: [failed, { at: '2026-12-03T10:00:10Z', statusCode: 204 }] },
      ]);
      expect((await ports.webhooks.listDeliveries(webhookId, 5)).items).toHaveLength(2);
      expect((await ports.webhooks.listDeliveries(newId(), 5)).items).toEqual([]);
    });

    test('an attempt on a delivery never recorded (or expired) records nothing', async () => {
      const webhookId = newId();
      await ports.webhooks.recordAttempt(webhookId, newId(), { at: '2026-12-03T10:00:00Z', error: 'x' }, 'failed');
      expect((await ports.webhooks.listDeliveries(webhookId, 5)).items).toEqual([]);
    });
  });
}
