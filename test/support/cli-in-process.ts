import { Writable } from 'node:stream';
import { run } from '../../cli/main';
import type { Clock } from '../../cli/poll';

/** A clock from `start` whose sleeps pass at once, remembering how long each would have been. */
export function fakeClock(start = 0) {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps };
}

/**
 * Runs `prism-registry <args>` in this process against `endpoint`, with the local credentials under `home`,
 * capturing what it prints (and the bytes it streams to standard output).
 */
export const runCliAt = (
  endpoint: string,
  home: string,
  args: string[],
  options: { tty?: boolean; clock?: Clock } = {},
) => runCliWith({ PRISM_REGISTRY_HOME: home }, ['--endpoint', endpoint, ...args], options);

/** Runs `prism-registry <args>` in this process with only the environment `env`, capturing what it prints. */
export async function runCliWith(
  env: NodeJS.ProcessEnv,
  args: string[],
  options: { tty?: boolean; clock?: Clock } = {},
) {
  let stdout = '';
  let stderr = '';
  const bytes: Buffer[] = [];
  const stdoutStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes.push(chunk);
      done();
    },
  });
  const code = await run(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    stdoutStream,
    stderrIsTTY: options.tty ?? false,
    clock: options.clock ?? fakeClock().clock,
  });
  return { code, stdout, stderr, stdoutBytes: Buffer.concat(bytes) };
}
