import { scheduleSettings } from '../../../lib/schedule-context';
import { SCHEDULED_JOBS } from '../../../system/resources';

describe('the schedules context value', () => {
  test('absent, it sets no job: each keeps its SCHEDULES entry', () => {
    expect(scheduleSettings(undefined)).toEqual({});
    expect(scheduleSettings('{}')).toEqual({});
  });

  test("takes the seeds' crontab lines, as an object or as JSON text", () => {
    const lines = { 'invitation-audit': '0 0 * * *', 'device-audit': '0 1 * * 0', 'expired-cleanup': '0 2 1 * *' };
    for (const value of [lines, JSON.stringify(lines)]) {
      const settings = scheduleSettings(value);
      expect(settings['invitation-audit']).toMatchObject({ minute: 0, hour: 0 });
      expect(settings['invitation-audit']).not.toHaveProperty('day');
      expect(settings['invitation-audit']).not.toHaveProperty('weekDay');
      expect(settings['device-audit']).toMatchObject({ minute: 0, hour: 1, weekDay: 0 });
      expect(settings['expired-cleanup']).toMatchObject({ minute: 0, hour: 2, day: 1 });
      expect(settings).not.toHaveProperty('audit-archive');
    }
  });

  test('describes an override by its crontab line', () => {
    expect(scheduleSettings({ 'audit-archive': ' 15 3 * * * ' })['audit-archive']).toEqual({
      minute: 15,
      hour: 3,
      description: 'audit-archive, on "15 3 * * *" (UTC, from context)',
    });
  });

  test('reads 7 as Sunday, as crontab does', () => {
    expect(scheduleSettings({ 'device-audit': '0 1 * * 7' })['device-audit']).toMatchObject({ weekDay: 0 });
  });

  test('"off" switches a job off', () => {
    expect(scheduleSettings({ 'expired-cleanup': 'off' })['expired-cleanup']).toBe('off');
  });

  test.each([
    [{ cleanup: 'off' }, `names "cleanup", which is not one of ${SCHEDULED_JOBS.join(', ')}`],
    ['{not json', 'must be JSON'],
    [['0 0 * * *'], 'must be an object of job names'],
    [{ 'audit-archive': 30 }, 'schedules.audit-archive must be a crontab line or "off"'],
    [{ 'audit-archive': '0 0 * *' }, 'schedules.audit-archive: "0 0 * *" must be five crontab fields'],
    [{ 'audit-archive': '*/5 0 * * *' }, 'the minute must be a number from 0 to 59, got "*/5"'],
    [{ 'audit-archive': '0 24 * * *' }, 'the hour must be a number from 0 to 23, got "24"'],
    [{ 'expired-cleanup': '0 2 32 * *' }, 'the day of the month must be a number from 1 to 31, got "32"'],
    [{ 'device-audit': '0 1 * * 8' }, 'the day of the week must be a number from 0 to 7, got "8"'],
    [{ 'expired-cleanup': '0 2 1 1 *' }, 'the month must be *, got "1"'],
    [{ 'expired-cleanup': '0 2 1 * 1' }, 'give a day of the month or a day of the week, not both'],
  ])('refuses %j, saying what is wrong', (value, message) => {
    expect(() => scheduleSettings(value)).toThrow(message);
  });
});
