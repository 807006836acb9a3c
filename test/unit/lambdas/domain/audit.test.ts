import { auditEvent } from '../../../../lambdas/domain/audit';
import { AS_ADMIN } from '../../../support/origins';

describe('audit events', () => {
  test('a detail that looks like a secret is masked, and the event keeps the rest of it', () => {
    const token = `inv-${'A'.repeat(39)}wXyZ`;
    const encoded = 'e'.repeat(240);
    const event = auditEvent(
      AS_ADMIN,
      'invitation.created',
      'x',
      { name: `Team ${token}`, notes: ['fine', `see ${encoded}`], maxDevices: 2 },
      { eventId: 'e', at: '2031-03-04T10:00:00Z' },
    );
    expect(event.details).toEqual({
      name: 'Team inv-AAAA…wXyZ',
      notes: ['fine', 'see [240 characters withheld]'],
      maxDevices: 2,
    });
    expect(JSON.stringify(event)).not.toContain(token);
  });
});
