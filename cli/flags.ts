import { InvalidArgumentError, Option } from 'commander';
import { BATCH_CONCURRENCY } from '../lambdas/contract/schemas';
import { PAGE_SIZE_MAX } from '../lambdas/contract/paging';

const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0']);

/** The same words the CSV accepts (docs/SPEC.md §2.1); anything else is an error, never a silent `false`. */
export function parseBoolean(value: string): boolean {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new InvalidArgumentError('Expected yes/no, true/false or 1/0.');
}

export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('Expected a whole number.');
  return Number(value);
}

/** A whole number inside `range`; the message gives the range whatever was wrong. */
export const parseWholeNumberIn =
  ({ min, max }: { min: number; max: number }) =>
  (value: string): number => {
    const number = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!(number >= min && number <= max))
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    return number;
  };

/**
 * `--<name>[=bool]` (bare means yes) plus `--no-<name>`. Absent, the option stays undefined so the server
 * default applies.
 */
export const booleanOptions = (name: string, description: string): Option[] => [
  new Option(`--${name} [bool]`, `${description}: yes/no, true/false or 1/0; bare means yes`).argParser(parseBoolean),
  new Option(`--no-${name}`, `same as --${name}=no`),
];

export const wholeNumberOption = (flags: string, description: string): Option =>
  new Option(flags, description).argParser(parseWholeNumber);

export const wholeNumberInOption = (flags: string, description: string, range: { min: number; max: number }): Option =>
  new Option(flags, description).argParser(parseWholeNumberIn(range));

/** `--limit <count>` of the commands that list a page at a time: how many `what` a page holds. */
export const pageLimitOption = (what: string): Option =>
  wholeNumberInOption('--limit <count>', `${what} per page (1-${PAGE_SIZE_MAX})`, { min: 1, max: PAGE_SIZE_MAX });

/** `--timeout <seconds>` of the commands that wait for work that goes on without them; an hour unless told. */
export const timeoutOption = (work: string): Option =>
  wholeNumberInOption('--timeout <seconds>', `stop waiting after this long; ${work} goes on`, {
    min: 1,
    max: 7 * 24 * 3600,
  }).default(3600);

/** `--concurrency <count>` of batches and bulk device jobs: `what` is done that many at once, as the server allows. */
export const concurrencyOption = (what: string): Option => {
  const { min, max, default: defaultCount } = BATCH_CONCURRENCY;
  return wholeNumberInOption(
    '--concurrency <count>',
    `${what} at once (${min}-${max}, default ${defaultCount})`,
    BATCH_CONCURRENCY,
  );
};
