import { type ChildProcess, spawn } from 'node:child_process';

const running = new Set<ChildProcess>();

/**
 * Runs `node file ...args` and resolves to its standard output once it exits with 0; rejects on any other
 * exit or after `timeLimitMs` (the child is killed). Its standard error goes to ours.
 */
export function runNode(file: string, args: string[], env: NodeJS.ProcessEnv, timeLimitMs: number): Promise<string> {
  const child = spawn(process.execPath, [file, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeLimitMs);
  return new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`${file} ended with ${signal ?? `code ${code}`} (time limit ${timeLimitMs / 1000} s)`));
    });
  });
}

/** Kills the children still running (on error or Ctrl-C). */
export function stopChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}
