import { auditEvent } from '../../../../lambdas/domain/audit';
import {
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  afterFailure,
  deliveryAttempts,
  eventPayload,
  parseRetrySchedule,
  slackText,
  subscribes,
  testPayload,
  webhookUrlProblem,
} from '../../../../lambdas/domain/webhook';

const STAMP = { eventId: '01JWEBHOOKEVENT00000000000', at: '2026-12-03T10:00:00Z' };
const event = (action: Parameters<typeof auditEvent>[1], targetId: string, details: Record<string, string | number>) =>
  auditEvent({ actor: 'arn:aws:iam::000000000000:user/admin' }, action, targetId, details, STAMP);

describe('webhook URLs', () => {
  test.each([
    ['https://hooks.example.org/prism?key=1', false],
    ['https://203.0.113.7:8443/in', false],
    ['http://127.0.0.1:9000/in', true],
    ['http://localhost:9000/in', true],
    ['http://[::1]:9000/in', true],
  ])('accepts %s (loopback http allowed: %s)', (url, allowLoopbackHttp) => {
    expect(webhookUrlProblem(url, allowLoopbackHttp)).toBeUndefined();
  });

  test.each([
    ['http://hooks.example.org/in', false, 'must use https'],
    ['http://127.0.0.1:9000/in', false, 'must use https'],
    ['http://10.0.0.1/in', true, 'must use https (or http to a loopback host)'],
    ['ftp://hooks.example.org/in', true, 'must use https'],
    ['https://user:pass@hooks.example.org/in', false, 'must not carry credentials'],
    ['https://user@hooks.example.org/in', false, 'must not carry credentials'],
    ['https://hooks.example.org/in#part', false, 'must not have a fragment'],
    ['hooks.example.org/in', false, 'is not an absolute URL'],
    [`https://hooks.example.org/${'a'.repeat(20_000)}`, false, 'must be at most 2048 characters'],
  ])('refuses %s', (url, allowLoopbackHttp, problem) => {
    expect(webhookUrlProblem(url, allowLoopbackHttp)).toContain(problem);
  });
});

describe('retry schedule', () => {
  test("the default is Standard Webhooks' recommendation, over 24 hours, in 8 attempts", () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(24 * 3600);
    expect(deliveryAttempts(DEFAULT_RETRY_SCHEDULE_SECONDS)).toBe(8);
  });

  test('each failed attempt waits its step; the last ends the delivery', () => {
    const schedule = [1, 2];
    expect(afterFailure(1, schedule)).toEqual({ retryAfterSeconds: 1 });
    expect(afterFailure(2, schedule)).toEqual({ retryAfterSeconds: 2 });
    expect(afterFailure(3, schedule)).toEqual({ deadLettered: true });
  });

  test('is read from whole seconds, comma-separated, and refused otherwise', () => {
    expect(parseRetrySchedule('1, 2,3')).toEqual([1, 2, 3]);
    for (const text of ['', '1,,2', '1.5', '-1', 'soon', String(13 * 3600)]) {
      expect(() => parseRetrySchedule(text)).toThrow('whole seconds');
    }
  });
});

describe('subscriptions', () => {
  test('an endpoint gets the actions it names, or every one with *', () => {
    expect(subscribes({ events: ['device.registered'] }, 'device.registered')).toBe(true);
    expect(subscribes({ events: ['device.registered'] }, 'device.revoked')).toBe(false);
    expect(subscribes({ events: ['*'] }, 'batch.completed')).toBe(true);
  });
});

describe('payloads', () => {
  test('an audit event goes out in its published form: no token, no e-mail address', () => {
    const token = `inv-${'A'.repeat(43)}`;
    const payload = eventPayload(event('invitation.revoked', 'inv1', { reason: `leaked ${token} by ada@example.org` }));
    expect(payload).toMatchObject({ type: 'invitation.revoked', timestamp: STAMP.at });
    expect(JSON.stringify(payload)).not.toContain(token);
    expect(JSON.stringify(payload)).not.toContain('ada@example.org');
  });

  test.each([
    [
      event('device.registered', 'device-1', { invitationId: 'inv1', hostname: 'lab-42' }),
      'Device registered on invitation inv1 (lab-42)',
    ],
    [
      event('device.refused', 'inv1', { reason: 'max_devices_reached', deviceId: 'device-2' }),
      'Device device-2 refused on invitation inv1: max_devices_reached',
    ],
    [event('invitation.revoked', 'inv1', { reason: 'left the lab' }), 'Invitation inv1 revoked: left the lab'],
    [
      event('batch.completed', 'batch1', { total: 10, succeeded: 9, failed: 1 }),
      'Batch batch1 completed: 9 of 10 rows succeeded, 1 failed',
    ],
    [event('invitation.created', 'inv1', { name: 'Data team' }), 'Invitation Data team created (inv1)'],
    [
      event('invitation.expiring', 'inv1', { expiresAt: '2026-12-10T08:00:00Z', daysLeft: 7 }),
      'Invitation inv1 expires in 7 days (2026-12-10T08:00:00Z)',
    ],
  ])('a Slack message reads as English: %#', (audited, text) => {
    expect(slackText(eventPayload(audited))).toBe(text);
  });

  test("a Slack message escapes Slack's markup and withholds addresses", () => {
    const text = slackText(
      eventPayload(event('invitation.revoked', 'inv1', { reason: '<!channel> & ada@example.org' })),
    );
    expect(text).toBe('Invitation inv1 revoked: &lt;!channel&gt; &amp; [e-mail withheld]');
  });

  test('the test event reads as one', () => {
    expect(slackText(testPayload('hook1', 'evt1', STAMP.at, 'admin'))).toContain('this webhook works');
  });
});
