import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isRunning } from './processes';

/** What `stackFiles().stack` holds while the embedded stack runs. */
export interface StackRecord {
  endpoint: string;
  pid: number;
  startedAt: string;
}

/** The stack recorded in `path` if its process still lives; a record left by a crash counts as nothing. */
export function runningStack(path: string): StackRecord | undefined {
  let record: StackRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as StackRecord;
  } catch {
    return undefined;
  }
  return Number.isInteger(record.pid) && isRunning(record.pid) ? record : undefined;
}

export const writeStackRecord = (path: string, record: StackRecord): void =>
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);

export const removeStackRecord = (path: string): void => rmSync(path, { force: true });
