const DAY_MS = 86_400_000;

/** RFC 3339 UTC with whole seconds, e.g. `2026-11-21T08:00:00Z`. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);

export const isPast = (instant: string, now: Date): boolean => Date.parse(instant) <= now.getTime();

/** Whole days left before `instant`, rounded up; 0 once it has passed. */
export const daysRemaining = (instant: string, now: Date): number =>
  Math.max(0, Math.ceil((Date.parse(instant) - now.getTime()) / DAY_MS));
