import type { Invitation } from '../../../../lambdas/domain/invitation';
import { invitationCounter } from '../../../../lambdas/domain/invitation-counts';
import { invitation } from '../../../support/invitations';

/** The invitation audit's figures (docs/SPEC.md §4.4), counted one invitation at a time. */
const NOW = new Date('2026-11-21T08:00:00Z');

const countsOf = (invitations: Partial<Invitation>[]) => {
  const counter = invitationCounter(NOW);
  for (const overrides of invitations) counter.count(invitation(overrides));
  return counter.counts;
};

describe('the invitation audit counts', () => {
  test('start with every key at zero, in the order they are shown', () => {
    expect(Object.entries(countsOf([]))).toEqual([
      ['invitations', 0],
      ['status.active', 0],
      ['status.suspended', 0],
      ['status.revoked', 0],
      ['status.expired', 0],
      ['type.read_only', 0],
      ['type.read_write', 0],
      ['type.admin', 0],
      ['expiringWithin7Days', 0],
      ['expiringWithin30Days', 0],
    ]);
  });

  test('count each invitation once by effective status and by type: an expired one is expired whatever is stored', () => {
    expect(
      countsOf([
        { type: 'admin' },
        { type: 'read_only', status: 'suspended' },
        { type: 'read_only', status: 'revoked' },
        { type: 'read_write', status: 'revoked', expiresAt: '2026-11-01T00:00:00Z' },
        { type: 'read_write', expiresAt: '2026-11-21T08:00:00Z' },
      ]),
    ).toEqual({
      invitations: 5,
      'status.active': 1,
      'status.suspended': 1,
      'status.revoked': 1,
      'status.expired': 2,
      'type.read_only': 2,
      'type.read_write': 2,
      'type.admin': 1,
      expiringWithin7Days: 0,
      expiringWithin30Days: 0,
    });
  });

  test.each([
    ['2026-11-21T08:00:01Z', 1, 1],
    ['2026-11-28T08:00:00Z', 1, 1],
    ['2026-11-28T08:00:01Z', 0, 1],
    ['2026-12-21T08:00:00Z', 0, 1],
    ['2026-12-21T08:00:01Z', 0, 0],
  ])('a live invitation expiring at %s counts %i within 7 days and %i within 30', (expiresAt, week, month) => {
    expect(countsOf([{ expiresAt }])).toMatchObject({ expiringWithin7Days: week, expiringWithin30Days: month });
  });

  test('only live invitations count as expiring: not a suspended or revoked one, nor one expired already', () => {
    expect(
      countsOf([
        { status: 'suspended', expiresAt: '2026-11-22T00:00:00Z' },
        { status: 'revoked', expiresAt: '2026-11-22T00:00:00Z' },
        { expiresAt: '2026-11-21T07:00:00Z' },
      ]),
    ).toMatchObject({ expiringWithin7Days: 0, expiringWithin30Days: 0 });
  });
});
