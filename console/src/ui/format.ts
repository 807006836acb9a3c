/** How the console writes values: times in UTC as the registry keeps them, numbers grouped, flags as words. */

/** `2026-11-21 08:00:00 UTC` */
export const formatTime = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
};

/** `2026-11-21` */
export const formatDay = (iso: string): string => iso.slice(0, 10);

const numbers = new Intl.NumberFormat('en');
export const formatNumber = (value: number): string => numbers.format(value);

export const yesNo = (value: boolean | undefined): string => (value === undefined ? '—' : value ? 'yes' : 'no');

/** `read_only` → `read only`, `invitation-audit` → `invitation audit` */
export const words = (identifier: string): string => identifier.replace(/[_-]/g, ' ');

/** `1,024 bytes`, `2.5 MiB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
