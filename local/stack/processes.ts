import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The state letter of a /proc stat file ("pid (command) state ...", the command possibly holding spaces and parentheses). */
function stateIn(statFile: string): string | undefined {
  try {
    const stat = readFileSync(statFile, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined;
  }
}

/**
 * Whether a process runs: it exists (perhaps another user's), and one of its threads at least is not a
 * zombie. A process killed after its parent died stays a zombie until init reaps it, and answers signal 0
 * meanwhile. Its first thread may turn zombie before the others have exited, and until the last has, the
 * process still holds its files and sockets (a Java process's listening port among them).
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    // It ended meanwhile; or there is no /proc (macOS), and signal 0 is all there is to go by.
    return !existsSync('/proc/self');
  }
  // A thread gone between the listing and the reading has no state: it no longer runs.
  return threads.some((thread) => {
    const state = stateIn(`/proc/${pid}/task/${thread}/stat`);
    return state !== undefined && state !== 'Z' && state !== 'X';
  });
}
