import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isRunning } from './processes';

/** What a pid file under the data folder records of an emulator process the stack started. */
export interface PidRecord {
  pid: number;
  /** Words its command line holds, which tell it apart from any process that reused its pid. */
  marks: string[];
  startedAt: string;
}

export const writePidFile = (path: string, record: PidRecord): void =>
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });

export const removePidFile = (path: string): void => rmSync(path, { force: true });

/** The process's command line, its words joined by spaces; undefined when it does not exist. */
function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    // No /proc (macOS): ask ps.
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Sends `name` to the process, which may have ended meanwhile. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Ends the process a pid file names when a previous run of the stack left it behind (the stack itself was
 * killed, and the emulator, in a process group of its own, lived on). Only a live process whose command
 * line still holds every mark the file recorded is touched, so a pid reused by anything else is left
 * alone. Returns the pid it ended, if any; the file is gone afterwards either way.
 */
export async function endLeftover(pidFile: string): Promise<number | undefined> {
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    removePidFile(pidFile);
    return undefined;
  }
  const commandLine = Number.isInteger(record.pid) && record.pid > 1 ? commandLineOf(record.pid) : undefined;
  const ours = commandLine !== undefined && record.marks.every((mark) => commandLine.includes(mark));
  if (ours) {
    signal(record.pid, 'SIGTERM');
    if (!(await waitForExit(record.pid, 5_000))) {
      signal(record.pid, 'SIGKILL');
      await waitForExit(record.pid, 5_000);
    }
  }
  removePidFile(pidFile);
  return ours ? record.pid : undefined;
}
