import type { AuditEvent } from '../../../../lambdas/domain/audit';
import { EMAIL_WITHHELD, publishedAuditEvent } from '../../../../lambdas/domain/audit-publication';

const TOKEN = `inv-${'Q'.repeat(39)}wXyZ`;
const ENCODED = 'e'.repeat(260);

/** An event as an item of the audit table might hold it, keys and time-to-live included. */
const event = (overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  eventId: '01JD8Y3V6W8ZQ4K2M5N7P9R1ST',
  at: '2031-03-04T10:00:00Z',
  actor: 'arn:aws:iam::000000000000:user/admin',
  action: 'invitation.created',
  targetId: '01JD8Y3V6W8ZQ4K2M5N7P9R1AB',
  details: { name: 'Physics 101', maxDevices: 2, canInvite: false },
  requestId: 'c5f2a4d0-9e1b-4c3e-8f7a-2b6d1e0f9a33',
  sourceIp: '203.0.113.7',
  ...overrides,
});

describe('an audit event as the registry publishes it', () => {
  test('keeps the event’s own fields as they are when nothing in them is secret or an address', () => {
    expect(publishedAuditEvent(event())).toEqual(event());
  });

  test('leaves out what the table adds: its keys and the time-to-live', () => {
    const item = { ...event(), pk: 'AUDIT#3', sk: event().eventId, ttl: 1_950_000_000 } as AuditEvent;
    expect(Object.keys(publishedAuditEvent(item)).sort()).toEqual(
      ['action', 'actor', 'at', 'details', 'eventId', 'requestId', 'sourceIp', 'targetId'].sort(),
    );
  });

  test('never lets a token-shaped value out, wherever it is, nor an encoded invitation', () => {
    const published = publishedAuditEvent(
      event({
        actor: `invitation:${TOKEN}`,
        targetId: TOKEN,
        details: { name: `Team ${TOKEN}`, hosts: ['fine', TOKEN], note: `see ${ENCODED}` },
      }),
    );
    const text = JSON.stringify(published);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);
    expect(text).not.toContain(ENCODED);
    expect(published.details).toEqual({
      name: 'Team inv-QQQQ…wXyZ',
      hosts: ['fine', 'inv-QQQQ…wXyZ'],
      note: 'see [260 characters withheld]',
    });
    expect(published.targetId).toBe('inv-QQQQ…wXyZ');
  });

  test('withholds the text of any detail named like an e-mail address, in any spelling, values that are not text kept', () => {
    const published = publishedAuditEvent(
      event({
        details: {
          email: 'ada@example.org',
          recipientEmail: 'not an address at all',
          'e-mail': 'x',
          EMAIL: ['a@b.example', 'c@d.example'],
          emailDelivered: true,
          emailCount: 2,
          name: 'Ada',
        },
      }),
    );
    expect(published.details).toEqual({
      email: EMAIL_WITHHELD,
      recipientEmail: EMAIL_WITHHELD,
      'e-mail': EMAIL_WITHHELD,
      EMAIL: [EMAIL_WITHHELD, EMAIL_WITHHELD],
      emailDelivered: true,
      emailCount: 2,
      name: 'Ada',
    });
  });

  test.each([
    ['a plain address', 'ada@example.org', EMAIL_WITHHELD],
    [
      'an address in a sentence',
      'sent to Ada <ada.lovelace+physics@mail.example.ac.uk>, twice',
      `sent to Ada <${EMAIL_WITHHELD}>, twice`,
    ],
    ['a user at a host', 'alice@laptop-07', EMAIL_WITHHELD],
    ['an address with letters beyond ASCII', 'zoë@exämple.de', EMAIL_WITHHELD],
    ['two addresses', 'a@x.example; b@y.example', `${EMAIL_WITHHELD}; ${EMAIL_WITHHELD}`],
  ])('withholds %s wherever it is, keeping the text around it', (_case, text, expected) => {
    const published = publishedAuditEvent(event({ details: { note: text, list: [text] }, requestId: text }));
    expect(published.details).toEqual({ note: expected, list: [expected] });
    expect(published.requestId).toBe(expected);
    expect(JSON.stringify(published)).not.toMatch(/[\p{L}\p{N}.+_-]+@[\p{L}\p{N}-]+/u);
  });

  test('masks what is nested in a detail an item holds, whatever wrote it', () => {
    const details = { summary: { reason: `lost ${TOKEN}`, contact: { email: 'ada@example.org', seen: 3 } } };
    const published = publishedAuditEvent(event({ details: details as unknown as AuditEvent['details'] }));
    expect(published.details).toEqual({
      summary: { reason: 'lost inv-QQQQ…wXyZ', contact: { email: EMAIL_WITHHELD, seen: 3 } },
    });
  });

  test('withholds the address in an actor who signed in with one, and keeps the rest of the ARN', () => {
    const actor = 'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Admin_0a1b2c/ada@example.org';
    expect(publishedAuditEvent(event({ actor })).actor).toBe(
      `arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Admin_0a1b2c/${EMAIL_WITHHELD}`,
    );
  });

  test('leaves text that only has an @ in it alone', () => {
    const details = { handle: '@ada', note: 'meet @ 10:00', trailing: 'ada@' };
    expect(publishedAuditEvent(event({ details })).details).toEqual(details);
  });

  test('keeps an event without a request id or source address without them', () => {
    const { requestId: _requestId, sourceIp: _sourceIp, ...scheduled } = event({ actor: 'system:expired-cleanup' });
    expect(publishedAuditEvent(scheduled)).toEqual(scheduled);
  });

  test('does not change the event it is given', () => {
    const original = event({ details: { email: 'ada@example.org' } });
    const copy = structuredClone(original);
    publishedAuditEvent(original);
    expect(original).toEqual(copy);
  });
});
