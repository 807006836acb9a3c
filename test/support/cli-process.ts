import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../local/stack/paths';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `prism-registry` as a user would, as its own process, with only the given environment. */
export const cli = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> => cliWithin(60_000, env, ...args);

/** The same, for a command that may take longer than a minute. */
export function cliWithin(timeoutMs: number, env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      join(projectRoot(), 'bin/prism-registry.js'),
      args,
      { env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs it with `--json` and parses the answer, failing the test with stderr when it exits non-zero. */
export async function cliJson<T>(env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> {
  const result = await cli(env, '--json', ...args);
  if (result.code !== 0) throw new Error(`prism-registry ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
