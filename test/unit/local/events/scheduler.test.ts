import type { JobMessage } from '../../../../lambdas/domain/job';
import { ENV, SCHEDULED_JOBS, type ScheduledJob } from '../../../../system/resources';
import {
  dueJobs,
  everyMinuteFromVariable,
  scheduledJobsOn,
  startScheduler,
  type SetTimer,
} from '../../../../local/events/scheduler';

const MINUTE_MS = 60_000;
const at = (iso: string) => new Date(iso);

/** Every (job, minute) due from `since` (inclusive) to `until` (exclusive). */
function runsBetween(since: string, until: string, everyMinute?: ReadonlySet<ScheduledJob>): string[] {
  const runs: string[] = [];
  for (let minute = Date.parse(since); minute < Date.parse(until); minute += MINUTE_MS) {
    const time = new Date(minute);
    runs.push(...dueJobs(time, everyMinute).map((job) => `${job} ${time.toISOString()}`));
  }
  return runs;
}

describe('dueJobs', () => {
  test('2026-11-22 is a Sunday and 2026-12-01 a Tuesday, as the cases below assume', () => {
    expect([at('2026-11-22T00:00Z').getUTCDay(), at('2026-12-01T00:00Z').getUTCDay()]).toEqual([0, 2]);
  });

  test.each([
    ['2026-11-23T00:00:00Z', ['invitation-audit']],
    ['2026-11-23T00:30:00Z', ['audit-archive']],
    ['2026-11-22T01:00:00Z', ['device-audit']],
    ['2026-11-23T01:00:00Z', []],
    ['2026-12-01T02:00:00Z', ['expired-cleanup']],
    ['2026-12-02T02:00:00Z', []],
    ['2026-12-02T03:00:00Z', ['expiry-reminders']],
    ['2026-12-02T04:00:00Z', ['stale-devices']],
    ['2026-11-23T00:01:00Z', []],
    ['2026-11-23T12:00:00Z', []],
  ])('at %s: %j', (time, jobs) => {
    expect(dueJobs(at(time))).toEqual(jobs);
  });

  test('matches the whole minute, whatever the seconds', () => {
    expect(dueJobs(at('2026-11-23T00:00:59.999Z'))).toEqual(['invitation-audit']);
  });

  test('reads the clock in UTC: 23:00 at UTC-1 is midnight UTC', () => {
    expect(dueJobs(at('2026-11-22T23:00:00-01:00'))).toEqual(['invitation-audit']);
  });

  test('over two weeks: the dailies every day, the device audit on Sunday only, the cleanup on the 1st only', () => {
    const runs = runsBetween('2026-11-22T00:00:00Z', '2026-12-06T00:00:00Z');
    const days = Array.from({ length: 14 }, (_, n) => new Date(Date.parse('2026-11-22T00:00Z') + n * 86_400_000));
    const day = (date: Date) => date.toISOString().slice(0, 10);
    expect(runs.sort()).toEqual(
      [
        ...days.map((date) => `invitation-audit ${day(date)}T00:00:00.000Z`),
        ...days.map((date) => `audit-archive ${day(date)}T00:30:00.000Z`),
        ...days.map((date) => `expiry-reminders ${day(date)}T03:00:00.000Z`),
        ...days.map((date) => `stale-devices ${day(date)}T04:00:00.000Z`),
        'device-audit 2026-11-22T01:00:00.000Z',
        'device-audit 2026-11-29T01:00:00.000Z',
        'expired-cleanup 2026-12-01T02:00:00.000Z',
      ].sort(),
    );
  });

  test('runs the jobs named to run every minute at every minute as well, in SCHEDULED_JOBS order', () => {
    const everyMinute = new Set<ScheduledJob>(['audit-archive', 'invitation-audit']);
    expect(dueJobs(at('2026-11-23T13:47:00Z'), everyMinute)).toEqual(['invitation-audit', 'audit-archive']);
    expect(dueJobs(at('2026-11-22T01:00:00Z'), everyMinute)).toEqual([
      'invitation-audit',
      'device-audit',
      'audit-archive',
    ]);
    expect(runsBetween('2026-11-23T13:00:00Z', '2026-11-23T14:00:00Z', everyMinute)).toHaveLength(120);
  });

  test('sends only the jobs that are on, even when named to run every minute', () => {
    const on = SCHEDULED_JOBS.filter((job) => job !== 'stale-devices');
    expect(dueJobs(at('2026-12-02T04:00:00Z'), new Set(), on)).toEqual([]);
    expect(dueJobs(at('2026-12-02T13:47:00Z'), new Set<ScheduledJob>(['stale-devices']), on)).toEqual([]);
  });
});

describe('scheduledJobsOn', () => {
  test('leaves stale-devices off until the environment gives its days, and every other job on', () => {
    expect(scheduledJobsOn({})).toEqual(SCHEDULED_JOBS.filter((job) => job !== 'stale-devices'));
    expect(scheduledJobsOn({ [ENV.staleDeviceDays]: '' })).not.toContain('stale-devices');
    expect(scheduledJobsOn({ [ENV.staleDeviceDays]: '30' })).toEqual([...SCHEDULED_JOBS]);
  });
});

describe('everyMinuteFromVariable', () => {
  test.each([undefined, '', ' , '])('%j names no job', (value) => {
    expect(everyMinuteFromVariable(value)).toEqual(new Set());
  });

  test('takes comma-separated job names, spaces around them allowed', () => {
    expect(everyMinuteFromVariable('invitation-audit, audit-archive')).toEqual(
      new Set(['invitation-audit', 'audit-archive']),
    );
  });

  test('refuses a name that is not a scheduled job, naming it and the jobs there are', () => {
    expect(() => everyMinuteFromVariable('invitation-audit,nightly')).toThrow(
      `PRISM_SCHEDULE_EVERY_MINUTE=invitation-audit,nightly: "nightly" is not a scheduled job (${SCHEDULED_JOBS.join(', ')})`,
    );
  });
});

/** A clock that moves only when told, and the timers set on it. */
function fakeClock(start: string) {
  let now = Date.parse(start);
  const timers = new Set<{ callback: () => void; due: number }>();
  const setTimer: SetTimer = (callback, delayMs) => {
    const timer = { callback, due: now + delayMs };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  const next = () => [...timers].sort((a, b) => a.due - b.due)[0];
  return {
    now: () => new Date(now),
    setTimer,
    timers,
    /** Moves the clock to `until`, firing each timer at its due time on the way. */
    runUntil(until: string) {
      for (let timer = next(); timer && timer.due <= Date.parse(until); timer = next()) {
        timers.delete(timer);
        now = timer.due;
        timer.callback();
      }
      now = Date.parse(until);
    },
    /** Fires the next timer `lateMs` after its due time, as a busy or suspended process would. */
    fireLate(lateMs: number) {
      const timer = next()!;
      timers.delete(timer);
      now = timer.due + lateMs;
      timer.callback();
    },
  };
}

describe('startScheduler', () => {
  const sent: JobMessage[] = [];
  const send = jest.fn(async (message: JobMessage) => {
    sent.push(message);
  });

  beforeEach(() => {
    sent.length = 0;
    send.mockClear();
  });

  test('waits for the start of the next minute, then sends each due job with its minute as the time', async () => {
    const clock = fakeClock('2026-11-21T23:59:30Z');
    const scheduler = startScheduler({ send, now: clock.now, setTimer: clock.setTimer });
    expect([...clock.timers].map((timer) => timer.due)).toEqual([Date.parse('2026-11-22T00:00:00Z')]);

    clock.runUntil('2026-11-22T01:00:30Z');
    await scheduler.stop();
    expect(sent).toEqual([
      { schedule: 'invitation-audit', time: '2026-11-22T00:00:00Z' },
      { schedule: 'audit-archive', time: '2026-11-22T00:30:00Z' },
      { schedule: 'device-audit', time: '2026-11-22T01:00:00Z' },
    ]);
  });

  test('sends the jobs named to run every minute at every minute', async () => {
    const clock = fakeClock('2026-11-23T13:00:10Z');
    const scheduler = startScheduler({
      send,
      everyMinute: new Set(['expired-cleanup']),
      now: clock.now,
      setTimer: clock.setTimer,
    });
    clock.runUntil('2026-11-23T13:03:00Z');
    await scheduler.stop();
    expect(sent).toEqual(
      ['13:01', '13:02', '13:03'].map((minute) => ({
        schedule: 'expired-cleanup',
        time: `2026-11-23T${minute}:00Z`,
      })),
    );
  });

  test('sends for the minute its timer was set for when it fires late, and skips the minutes it missed', async () => {
    const clock = fakeClock('2026-11-22T23:59:50Z');
    const scheduler = startScheduler({ send, now: clock.now, setTimer: clock.setTimer });
    clock.fireLate(90_000);
    expect(sent).toEqual([{ schedule: 'invitation-audit', time: '2026-11-23T00:00:00Z' }]);
    expect([...clock.timers].map((timer) => new Date(timer.due).toISOString())).toEqual(['2026-11-23T00:02:00.000Z']);
    await scheduler.stop();
  });

  test('sets the next timer for the following minute when one fires a little early', async () => {
    const clock = fakeClock('2026-11-22T23:59:50Z');
    const scheduler = startScheduler({ send, now: clock.now, setTimer: clock.setTimer });
    clock.fireLate(-1);
    expect(sent).toEqual([{ schedule: 'invitation-audit', time: '2026-11-23T00:00:00Z' }]);
    expect([...clock.timers].map((timer) => new Date(timer.due).toISOString())).toEqual(['2026-11-23T00:01:00.000Z']);
    await scheduler.stop();
  });

  test('logs a send that fails and keeps going', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing = jest.fn(async () => {
      throw new Error('queue unreachable');
    });
    const clock = fakeClock('2026-11-22T23:59:50Z');
    const scheduler = startScheduler({ send: failing, now: clock.now, setTimer: clock.setTimer });
    clock.runUntil('2026-11-23T00:30:00Z');
    await scheduler.stop();
    expect(failing).toHaveBeenCalledTimes(2);
    expect(error.mock.calls.map(([line]) => line)).toEqual([
      '[scheduler] could not send invitation-audit for 2026-11-23T00:00:00Z to its job queue:',
      '[scheduler] could not send audit-archive for 2026-11-23T00:30:00Z to its job queue:',
    ]);
    error.mockRestore();
  });

  test('stops: cancels its timer and waits for the sends under way', async () => {
    let deliver: () => void = () => undefined;
    const slow = jest.fn(() => new Promise<void>((resolve) => (deliver = resolve)));
    const clock = fakeClock('2026-11-22T23:59:50Z');
    const scheduler = startScheduler({ send: slow, now: clock.now, setTimer: clock.setTimer });
    clock.runUntil('2026-11-23T00:00:00Z');

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect([stopped, clock.timers.size]).toEqual([false, 0]);
    deliver();
    await stopping;
    expect(stopped).toBe(true);
    clock.runUntil('2026-11-24T00:00:00Z');
    expect(slow).toHaveBeenCalledTimes(1);
  });
});
