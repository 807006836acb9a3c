import type { IssuedInvitation } from '../../lambdas/contract/views';
import { type Clock, systemClock } from '../../cli/poll';
import { runCliWith } from './cli-in-process';
import type { CliResult } from './cli-process';
import type { StackProcess } from './embedded-stack-process';

/** Real time, but a wait for work looks again every quarter second: the embedded stack finishes small work at once. */
const promptClock: Clock = { now: systemClock.now, sleep: (ms) => systemClock.sleep(Math.min(ms, 250)) };

/**
 * `prism-registry` against one embedded stack, with the seeds' commands the scenarios repeat. It runs in this
 * process, with only the environment a user's shell gives it (it finds the stack through its data folder), as
 * the binary runs it; batches.test.ts, jobs.test.ts and registry-contract.test.ts run the binary itself.
 */
export function stackCli(stack: StackProcess) {
  const run = async (...args: string[]): Promise<CliResult> => {
    const { code, stdout, stderr, stdoutBytes } = await runCliWith(stack.env, args, { clock: promptClock });
    return { code, stdout: stdout + stdoutBytes.toString('utf8'), stderr };
  };
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await run('--json', ...args);
    if (result.code !== 0) throw new Error(`prism-registry ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return {
    run,
    json,
    createSecure: (name: string, ...flags: string[]) =>
      json<IssuedInvitation>('invitations', 'create-secure', name, ...flags),
    /** `accept-invitation` registering `deviceId` for `username`. */
    accept: (encoded: string, username: string, deviceId: string) =>
      run(
        'accept-invitation',
        '--encoded',
        encoded,
        '--name',
        'research',
        '--device-id',
        deviceId,
        '--username',
        username,
        '--hostname',
        `${username}-laptop`,
      ),
  };
}
