import { auditEvent } from '../../../../lambdas/domain/audit';
import { issueInvitation } from '../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../lambdas/usecases/invitations/manage';
import { ADMIN, AS_ADMIN, integrationDeps } from '../../../support/deps';

const deps = integrationDeps();
/** Events of this run only: each test uses its own target ids and a time window nobody else writes in. */
const run = `${Date.now()}`;

const event = (
  n: number,
  at: string,
  overrides: { action?: 'invitation.created' | 'device.revoked'; actor?: string } = {},
) =>
  auditEvent(
    { actor: overrides.actor ?? ADMIN, requestId: `request-${n}` },
    overrides.action ?? 'invitation.created',
    `target-${run}-${n % 3}`,
    { n },
    { eventId: deps.newId(Date.parse(at)), at },
  );

describe('audit log against DynamoDB Local', () => {
  const base = Date.parse('2031-03-04T10:00:00Z');
  const times = Array.from({ length: 20 }, (_, n) => new Date(base + n * 60_000).toISOString());
  const window = { since: times[0]!, until: times[19]! };

  beforeAll(async () => {
    for (const [n, at] of times.entries()) {
      await deps.auditLog.append(event(n, at, n % 4 === 0 ? { action: 'device.revoked', actor: 'system:test' } : {}));
    }
  });

  test('pages come newest first across every shard, each event exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.auditLog.list(window, 3, cursor);
      expect(page.events.length).toBeLessThanOrEqual(3);
      seen.push(...page.events.map((e) => e.details.n as number));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => 19 - n));
  });

  test('filters by action, actor, target and time', async () => {
    const byAction = await deps.auditLog.list({ ...window, action: 'device.revoked' }, 100);
    expect(byAction.events.map((e) => e.details.n)).toEqual([16, 12, 8, 4, 0]);
    const byActor = await deps.auditLog.list({ ...window, actor: 'system:test' }, 100);
    expect(byActor.events.map((e) => e.details.n)).toEqual([16, 12, 8, 4, 0]);
    const byTarget = await deps.auditLog.list({ ...window, targetId: `target-${run}-1` }, 2);
    expect(byTarget.events.map((e) => e.details.n)).toEqual([19, 16]);
    const rest = await deps.auditLog.list({ ...window, targetId: `target-${run}-1` }, 100, byTarget.cursor);
    expect(rest.events.map((e) => e.details.n)).toEqual([13, 10, 7, 4, 1]);
    const narrow = await deps.auditLog.list({ since: times[5]!, until: times[7]! }, 100);
    expect(narrow.events.map((e) => e.details.n)).toEqual([7, 6, 5]);
  });

  test('between() reads a day oldest first; an event id can never be written twice', async () => {
    const all = [];
    for await (const e of deps.auditLog.between(times[0]!, times[10]!)) all.push(e.details.n);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const first = event(0, times[0]!);
    await deps.auditLog.append(first);
    await expect(deps.auditLog.append({ ...first, actor: 'someone-else' })).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  test('every change writes one event with its actor and request, never the token', async () => {
    const origin = { ...AS_ADMIN, requestId: 'request-abc', sourceIp: '192.0.2.7' };
    const { issued } = await issueInvitation(deps, { name: 'audited', type: 'read_only' }, { origin });
    const rotated = await rotateInvitation(deps, issued.invitation.id, origin);
    await revokeInvitation(deps, issued.invitation.id, 'left', false, origin);
    const events = await deps.auditLog.ofTarget(issued.invitation.id);
    expect(events.map((e) => e.action)).toEqual(['invitation.created', 'invitation.rotated', 'invitation.revoked']);
    for (const e of events) expect(e).toMatchObject({ actor: ADMIN, requestId: 'request-abc', sourceIp: '192.0.2.7' });
    expect(events[2]!.details).toMatchObject({ reason: 'left', devicesRevoked: [] });
    const text = JSON.stringify(events);
    for (const secret of [issued.token, issued.encoded, rotated.token, rotated.encoded])
      expect(text).not.toContain(secret);
  });

  test('a detail that looks like a secret is masked, and the event keeps the rest of it', () => {
    const token = `inv-${'A'.repeat(39)}wXyZ`;
    const encoded = 'e'.repeat(240);
    const event = auditEvent(
      AS_ADMIN,
      'invitation.created',
      'x',
      { name: `Team ${token}`, notes: ['fine', `see ${encoded}`], maxDevices: 2 },
      { eventId: 'e', at: times[0]! },
    );
    expect(event.details).toEqual({
      name: 'Team inv-AAAA…wXyZ',
      notes: ['fine', 'see [240 characters withheld]'],
      maxDevices: 2,
    });
    expect(JSON.stringify(event)).not.toContain(token);
  });
});
