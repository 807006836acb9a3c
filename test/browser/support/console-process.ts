import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../../local/stack/paths';

export interface ConsoleProcess {
  /** The URL the command printed, with its opening secret. */
  openingUrl: string;
  origin: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const OPENING_URL = /(http:\/\/127\.0\.0\.1:\d+)\/open\?secret=[A-Za-z0-9_-]+/;

/** `prism-registry console --no-open`, run as a user runs it, until it prints its URL. */
export async function startConsole(env: NodeJS.ProcessEnv): Promise<ConsoleProcess> {
  const child = spawn(join(projectRoot(), 'bin/prism-registry.js'), ['console', '--no-open'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const match = await printed(child, () => output);
  return {
    openingUrl: match[0],
    origin: match[1]!,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function printed(child: ChildProcess, output: () => string): Promise<RegExpExecArray> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = OPENING_URL.exec(output());
    if (match) return match;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prism-registry console printed no URL:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
