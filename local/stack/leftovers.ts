import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { isPortFree } from './ports';
import { isRunning } from './processes';

/** What a pid file under the data folder records of an emulator process the stack started. */
export interface PidRecord {
  pid: number;
  /** Words its command line holds, which tell it apart from any process that reused its pid. */
  marks: string[];
  /** The ports it listens on, free again only once it has ended. */
  ports: number[];
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

/** How long ending a leftover may take, each step on its own: generous, for a loaded machine. */
export interface LeftoverLimits {
  /** For the process to stop by itself once asked (SIGTERM). */
  stopMs: number;
  /** For the kernel to end it once killed (SIGKILL): a Java process's many threads each exit in turn. */
  killMs: number;
  /** For its ports to be free once it has ended. */
  portsMs: number;
}

export const LEFTOVER_LIMITS: LeftoverLimits = { stopMs: 10_000, killMs: 20_000, portsMs: 10_000 };

/** Polls `done` until it holds or `timeoutMs` has passed; resolves whether it held. */
async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

const takenOf = async (ports: number[]): Promise<number[]> =>
  (await Promise.all(ports.map(async (port) => ((await isPortFree(port)) ? [] : [port])))).flat();

/**
 * Ends the process a pid file names when a previous run of the stack left it behind (the stack itself was
 * killed, and the emulator, in a process group of its own, lived on), `name` naming it in messages. Only a
 * live process whose command line still holds every mark the file recorded is touched, so a pid reused by
 * anything else is left alone. Resolves once it has ended and the ports it recorded are free, with the pid
 * it ended, if any. Rejects, saying what to do, when the process outlives `limits` (the pid file kept, for
 * the next start to try again) or its ports stay taken; the file is gone otherwise.
 */
export async function endLeftover(
  name: string,
  pidFile: string,
  limits: LeftoverLimits = LEFTOVER_LIMITS,
): Promise<number | undefined> {
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    removePidFile(pidFile);
    return undefined;
  }
  const { pid } = record;
  const commandLine = Number.isInteger(pid) && pid > 1 ? commandLineOf(pid) : undefined;
  if (commandLine === undefined || !record.marks.every((mark) => commandLine.includes(mark))) {
    removePidFile(pidFile);
    return undefined;
  }
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  const stuck = (why: string) =>
    new Error(
      `${name} (pid ${pid}), left running by a previous run, ${why}: ` +
        `end it yourself (\`kill -9 ${pid}\`, as its owner or root), then start again`,
    );
  /** Sends `signalName` to the process, which may have ended meanwhile. */
  const signal = (signalName: NodeJS.Signals) => {
    try {
      process.kill(pid, signalName);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EPERM') throw stuck(`may not be signalled by ${userInfo().username}`);
      if (code !== 'ESRCH') throw error;
    }
  };
  signal('SIGTERM');
  if (!(await waitFor(() => !isRunning(pid), limits.stopMs))) {
    signal('SIGKILL');
    if (!(await waitFor(() => !isRunning(pid), limits.killMs))) {
      throw stuck(`still runs ${seconds(limits.stopMs + limits.killMs)} after SIGTERM and SIGKILL`);
    }
  }
  removePidFile(pidFile);
  // Whatever else shares its sockets (a process it started) holds its ports until it ends too. A pid file
  // written before ports were recorded has none.
  const ports = Array.isArray(record.ports) ? record.ports : [];
  await waitFor(async () => (await takenOf(ports)).length === 0, limits.portsMs);
  const taken = await takenOf(ports);
  if (taken.length > 0) {
    throw new Error(
      `${name} (pid ${pid}), left running by a previous run, has ended, but port ${taken.join(', ')} is still ` +
        `taken ${seconds(limits.portsMs)} later: end what holds it (\`lsof -i :${taken[0]}\` names it), then start again`,
    );
  }
  return pid;
}
