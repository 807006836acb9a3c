/** Formatting primitives shared by every command's human output. */

export const asJson = (data: unknown) => JSON.stringify(data, null, 2);

export const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** RFC 3339 without the milliseconds: what a person reads in a table. */
export const timestamp = (iso: string | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : '');

/** `1.5 MiB`, `820 KiB`, `12 B`. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Aligned `Label: value` lines, indented; rows whose value is undefined are left out. */
export function fields(rows: [label: string, value: string | number | undefined][], indent = '  '): string {
  const shown = rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length + 1));
  return shown.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

/** A plain-text table with a header row; columns as wide as their widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** One page of a listing and, when more follow, how to see them. */
export const paged = (listing: string, what: string, cursor: string | undefined) =>
  cursor ? `${listing}\n\nMore ${what}: rerun with --all, or with --cursor ${cursor}` : listing;
