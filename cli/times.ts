import { InvalidArgumentError } from 'commander';
import { auditQuery } from '../lambdas/contract/schemas';

/** The registry's own check of an RFC 3339 time, so the CLI refuses what the API would. */
const rfc3339 = auditQuery.shape.since.def.innerType;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A time as a flag gives it: a moment, or an age counted back from when the command runs. */
export type TimeFlag = { at: string } | { agoMs: number };

/** RFC 3339 (`2026-11-21T08:00:00Z`), a day (`2026-11-21`, midnight UTC), or an age: `30m`, `24h`, `7d`, `2w`. */
export function parseTime(value: string): TimeFlag {
  const text = value.trim();
  const age = /^(\d+)([mhdw])$/.exec(text);
  if (age) return { agoMs: Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS] };
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (!rfc3339.safeParse(at).success) {
    throw new InvalidArgumentError(
      'Expected an RFC 3339 time (2026-11-21T08:00:00Z), a day (2026-11-21) or an age (30m, 24h, 7d, 2w).',
    );
  }
  return { at };
}

/** The RFC 3339 time a flag means, ages counted back from `now` (ms since the epoch). */
export const timeOf = (time: TimeFlag, now: number): string =>
  'at' in time ? time.at : new Date(now - time.agoMs).toISOString();
