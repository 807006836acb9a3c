import type { AuditEvent } from '../../../../lambdas/domain/audit';
import { archiveLine, archivePath, dayBefore } from '../../../../lambdas/domain/audit-archive';

const event: AuditEvent = {
  eventId: '01JTESTEVENT00000000000000',
  at: '2026-11-21T08:00:00Z',
  actor: 'system:expired-cleanup',
  action: 'invitation.expired',
  targetId: '01JTESTPARENT0000000000000',
  details: { removeAfter: '2027-02-19T08:00:00Z', devicesRevoked: ['device-a'], jobId: 'job-1' },
};

describe('audit archive files (SPEC §4.4)', () => {
  test('the day before crosses months, years and leap days', () => {
    expect(dayBefore('2026-11-21')).toBe('2026-11-20');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
    expect(dayBefore('2028-03-01')).toBe('2028-02-29');
  });

  test('a day is archived at YYYY/MM/DD.ndjson', () => {
    expect(archivePath('2026-01-05')).toBe('2026/01/05.ndjson');
  });

  test('an event is one JSON line with its fields in one order, whatever order they came in', () => {
    const reordered = {
      details: { jobId: 'job-1', devicesRevoked: ['device-a'], removeAfter: '2027-02-19T08:00:00Z' },
      targetId: event.targetId,
      action: event.action,
      actor: event.actor,
      at: event.at,
      eventId: event.eventId,
    } as AuditEvent;
    const line = archiveLine(event);
    expect(archiveLine(reordered)).toBe(line);
    expect(line).toBe(
      '{"eventId":"01JTESTEVENT00000000000000","at":"2026-11-21T08:00:00Z","actor":"system:expired-cleanup",' +
        '"action":"invitation.expired","targetId":"01JTESTPARENT0000000000000","details":{"devicesRevoked":' +
        '["device-a"],"jobId":"job-1","removeAfter":"2027-02-19T08:00:00Z"}}\n',
    );
    expect(JSON.parse(archiveLine({ ...event, requestId: 'req-1', sourceIp: '10.0.0.1' }))).toEqual({
      ...event,
      requestId: 'req-1',
      sourceIp: '10.0.0.1',
    });
  });
});
