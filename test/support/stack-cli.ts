import type { IssuedInvitation } from '../../lambdas/contract/views';
import { cli, cliJson } from './cli-process';
import type { StackProcess } from './embedded-stack-process';

/** `prism-registry` against one embedded stack, with the seeds' commands the scenarios repeat. */
export function stackCli(stack: StackProcess) {
  const run = (...args: string[]) => cli(stack.env, ...args);
  const json = <T>(...args: string[]) => cliJson<T>(stack.env, ...args);
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
