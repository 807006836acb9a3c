import { activityDays, perDay, refusalsPerDay, sinceOf } from '../../../console/src/model/activity';
import { EXPIRING_KEYS, invitationCounts } from '../../../console/src/model/audit-counts';

describe('the invitation counts of an audit summary', () => {
  test('by status and type in their own order, and the expiring ones', () => {
    const counts = invitationCounts({
      invitations: 9,
      'status.revoked': 1,
      'type.admin': 2,
      'status.active': 8,
      'type.read_only': 7,
      [EXPIRING_KEYS.within7Days]: 1,
      [EXPIRING_KEYS.within30Days]: 4,
      day: '2026-11-21',
    });
    expect(counts).toEqual({
      byStatus: [
        ['active', 8],
        ['revoked', 1],
      ],
      byType: [
        ['read_only', 7],
        ['admin', 2],
      ],
      expiring: { within7Days: 1, within30Days: 4 },
    });
  });

  test('a summary from before the counts holds none', () => {
    expect(invitationCounts({ invitations: 3 })).toEqual({
      byStatus: [],
      byType: [],
      expiring: { within7Days: undefined, within30Days: undefined },
    });
  });
});

describe('registrations and refusals per day', () => {
  const days = activityDays(new Date('2026-12-04T18:00:00Z'));

  test('the last fourteen UTC days up to today, from the first day’s midnight', () => {
    expect(days).toHaveLength(14);
    expect(days[0]).toBe('2026-11-21');
    expect(days[13]).toBe('2026-12-04');
    expect(sinceOf(days)).toBe('2026-11-21T00:00:00Z');
  });

  test('events counted on their UTC day, others left out', () => {
    const counts = perDay(days, [
      { at: '2026-12-04T23:59:59Z' },
      { at: '2026-12-04T00:00:00Z' },
      { at: '2026-11-21T10:00:00Z' },
      { at: '2026-11-20T23:59:59Z' },
    ]);
    expect(counts[13]).toBe(2);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(3);
  });

  test('refusals split by their reason, in alphabetical order', () => {
    const refusals = refusalsPerDay(days, [
      { at: '2026-12-04T01:00:00Z', details: { reason: 'max_devices_reached' } },
      { at: '2026-12-03T01:00:00Z', details: { reason: 'ancestor_revoked' } },
      { at: '2026-12-04T02:00:00Z', details: { reason: 'max_devices_reached' } },
      { at: '2026-12-04T02:00:00Z', details: {} },
    ]);
    expect(refusals.map(([reason, counts]) => [reason, counts.slice(12)])).toEqual([
      ['ancestor_revoked', [1, 0]],
      ['max_devices_reached', [0, 2]],
      ['unknown', [0, 1]],
    ]);
  });
});
