import { readFileSync } from 'node:fs';

/**
 * Whether a process runs: it exists (perhaps another user's), and is not a zombie. A process killed after
 * its parent died stays a zombie until init reaps it, and answers signal 0 meanwhile.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (command) state ...", the command possibly holding spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const afterCommand = stat.lastIndexOf(')') + 2;
    return stat.charAt(afterCommand) !== 'Z';
  } catch {
    // No /proc (macOS): signal 0 is all there is to go by.
    return true;
  }
}
