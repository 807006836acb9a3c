import { SCHEDULED_JOBS, type Schedule, type ScheduledJob } from '../system/resources';

/** A scheduled job's rule: when it runs, or `off` (the rule stays, disabled, so it can be switched on by hand). */
export type ScheduleSetting = Schedule | 'off';

export const SCHEDULES_CONTEXT_KEY = 'schedules';

const FIELDS = 'minute hour day-of-month month day-of-week';

function fieldNumber(field: string, min: number, max: number, what: string, where: string): number {
  const number = /^\d{1,2}$/.test(field) ? Number(field) : NaN;
  if (Number.isInteger(number) && number >= min && number <= max) return number;
  throw new Error(`${where}: the ${what} must be a number from ${min} to ${max}, got "${field}"`);
}

/**
 * A crontab line's five time fields (UTC), as the seeds' crontab writes them: minute and hour are numbers,
 * the day of the month or of the week (0 or 7 = Sunday) a number or `*`, the month `*`.
 */
function parseCrontab(crontab: string, where: string): Omit<Schedule, 'description'> {
  const fields = crontab.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`${where}: "${crontab}" must be five crontab fields (${FIELDS}) or "off"`);
  const [minute, hour, day, month, weekDay] = fields as [string, string, string, string, string];
  if (month !== '*') throw new Error(`${where}: the month must be *, got "${month}"`);
  if (day !== '*' && weekDay !== '*') {
    throw new Error(
      `${where}: give a day of the month or a day of the week, not both (crontab would run on either; EventBridge cannot say that)`,
    );
  }
  return {
    minute: fieldNumber(minute, 0, 59, 'minute', where),
    hour: fieldNumber(hour, 0, 23, 'hour', where),
    ...(day !== '*' && { day: fieldNumber(day, 1, 31, 'day of the month', where) }),
    ...(weekDay !== '*' && { weekDay: fieldNumber(weekDay, 0, 7, 'day of the week', where) % 7 }),
  };
}

/**
 * The settings the `schedules` context value (an object, or its JSON text with `-c`) gives: a crontab line or "off"
 * for each job it names, e.g. `{"expired-cleanup": "0 3 1 * *", "audit-archive": "off"}`. A job it leaves out keeps
 * its SCHEDULES entry (the Jobs construct's default).
 */
export function scheduleSettings(value: unknown): Partial<Record<ScheduledJob, ScheduleSetting>> {
  const overrides = typeof value === 'string' ? parseJson(value) : (value ?? {});
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new Error(`Context value ${SCHEDULES_CONTEXT_KEY} must be an object of job names to crontab lines or "off"`);
  }
  for (const job of Object.keys(overrides)) {
    if (!(SCHEDULED_JOBS as readonly string[]).includes(job)) {
      throw new Error(
        `Context value ${SCHEDULES_CONTEXT_KEY} names "${job}", which is not one of ${SCHEDULED_JOBS.join(', ')}`,
      );
    }
  }
  return Object.fromEntries(
    Object.entries(overrides).map(([job, override]) => [job, settingOf(job as ScheduledJob, override)] as const),
  );
}

function settingOf(job: ScheduledJob, override: unknown): ScheduleSetting {
  const where = `Context value ${SCHEDULES_CONTEXT_KEY}.${job}`;
  if (typeof override !== 'string') throw new Error(`${where} must be a crontab line or "off"`);
  if (override.trim() === 'off') return 'off';
  return { ...parseCrontab(override, where), description: `${job}, on "${override.trim()}" (UTC, from context)` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`Context value ${SCHEDULES_CONTEXT_KEY} must be JSON, e.g. {"audit-archive": "30 0 * * *"}`);
  }
}
