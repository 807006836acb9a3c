import type { Machine } from './machine';

export interface Column {
  title: string;
  numeric?: boolean;
}

export const numeric = (title: string): Column => ({ title, numeric: true });

/** A Markdown table; Prettier aligns it when the results file is written. */
export function table(columns: readonly Column[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map((column) => column.title)),
    line(columns.map((column) => (column.numeric ? '--:' : '---'))),
    ...rows.map(line),
  ].join('\n');
}

/** The run's heading and what it ran on, as every benchmark's results start. */
export const runHeader = (machine: Machine, command: string): string => `### Run of ${machine.date}

- Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}; load average ${machine.loadAverage} at the start
- Runtime: Node ${machine.node}; DynamoDB Local on ${machine.java}
- Reproduce: \`npm ci && ${command}\``;
