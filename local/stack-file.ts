import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** What `stackFiles().stack` holds while the embedded stack runs. */
export interface StackRecord {
  endpoint: string;
  pid: number;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stack recorded in `path` if its process still lives; a record left by a crash counts as nothing. */
export function runningStack(path: string): StackRecord | undefined {
  let record: StackRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as StackRecord;
  } catch {
    return undefined;
  }
  return Number.isInteger(record.pid) && isAlive(record.pid) ? record : undefined;
}

export const writeStackRecord = (path: string, record: StackRecord): void =>
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);

export const removeStackRecord = (path: string): void => rmSync(path, { force: true });
