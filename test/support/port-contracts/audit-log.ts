import { monotonicFactory } from 'ulid';
import { auditEvent } from '../../../lambdas/domain/audit';
import type { AuditLog } from '../../../lambdas/ports';
import { ADMIN } from '../origins';

const newId = monotonicFactory();

/** The audit log's promises: append once, read newest first by page and filter, a day oldest first, a target's history. */
export function auditLogContract(make: () => Promise<AuditLog>): void {
  let log: AuditLog;
  /** Events of this run only: its own target ids, in a time window nobody else writes in. */
  const run = newId();
  const base = Date.parse('2031-03-04T10:00:00Z');
  const times = Array.from({ length: 20 }, (_, n) => new Date(base + n * 60_000).toISOString());
  const window = { since: times[0]!, until: times[19]! };
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
      { eventId: newId(Date.parse(at)), at },
    );

  beforeAll(async () => {
    log = await make();
    for (const [n, at] of times.entries()) {
      await log.append(event(n, at, n % 4 === 0 ? { action: 'device.revoked', actor: 'system:test' } : {}));
    }
  });

  describe('audit log', () => {
    test('pages come newest first across every shard, each event exactly once', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await log.list(window, 3, cursor);
        expect(page.events.length).toBeLessThanOrEqual(3);
        seen.push(...page.events.map((e) => e.details.n as number));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => 19 - n));
    });

    test('filters by action, actor, target and time', async () => {
      const byAction = await log.list({ ...window, action: 'device.revoked' }, 100);
      expect(byAction.events.map((e) => e.details.n)).toEqual([16, 12, 8, 4, 0]);
      const byActor = await log.list({ ...window, actor: 'system:test' }, 100);
      expect(byActor.events.map((e) => e.details.n)).toEqual([16, 12, 8, 4, 0]);
      const byTarget = await log.list({ ...window, targetId: `target-${run}-1` }, 2);
      expect(byTarget.events.map((e) => e.details.n)).toEqual([19, 16]);
      const rest = await log.list({ ...window, targetId: `target-${run}-1` }, 100, byTarget.cursor);
      expect(rest.events.map((e) => e.details.n)).toEqual([13, 10, 7, 4, 1]);
      const narrow = await log.list({ since: times[5]!, until: times[7]! }, 100);
      expect(narrow.events.map((e) => e.details.n)).toEqual([7, 6, 5]);
    });

    test("between() reads a day oldest first; a target's history comes oldest first", async () => {
      const all = [];
      for await (const e of log.between(times[0]!, times[10]!)) all.push(e.details.n);
      expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await log.ofTarget(`target-${run}-2`)).map((e) => e.details.n)).toEqual([2, 5, 8, 11, 14, 17]);
    });

    test('an event id can never be written twice', async () => {
      const first = event(0, times[0]!);
      await log.append(first);
      await expect(log.append({ ...first, actor: 'someone-else' })).rejects.toThrow();
      expect((await log.ofTarget(first.targetId)).filter((e) => e.eventId === first.eventId)).toEqual([first]);
    });
  });
}
