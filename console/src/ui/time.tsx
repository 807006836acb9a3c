import { formatTime } from './format';

/** A point in time, readable and machine-readable. */
export function Time({ value }: { value: string | undefined }) {
  if (value === undefined) return <>—</>;
  return <time dateTime={value}>{formatTime(value)}</time>;
}
