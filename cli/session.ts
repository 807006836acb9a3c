import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { signingIdentity } from './credentials';
import { type Env, resolveEndpoint } from './endpoint';
import { RegistryClient } from './http';
import { asJson } from './output';
import { type Clock, systemClock } from './poll';
import { type RequestSigner, createSigner } from './signing';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  /** Standard output as bytes, for files written there exactly as received (a batch's results CSV). Default: the process's. */
  stdoutStream?: Writable;
  /** Progress is drawn only when stderr is a terminal. Default: whether the process's stderr is one. */
  stderrIsTTY?: boolean;
  /** Default: the system clock. */
  clock?: Clock;
}

/** The `CliIo` commands see, defaults filled in. */
export type SessionIo = Required<CliIo>;

const withDefaults = (io: CliIo): SessionIo => ({
  ...io,
  stdoutStream: io.stdoutStream ?? process.stdout,
  stderrIsTTY: io.stderrIsTTY ?? process.stderr.isTTY === true,
  clock: io.clock ?? systemClock,
});

/** What a command's action works with: the API client and a way to print its answer. */
export interface Session {
  client: RegistryClient;
  io: SessionIo;
  /** `--json` was given. */
  json: boolean;
  /**
   * Prints `data` as JSON on stdout under `--json`, else `render(data)` on `to` (stderr for a summary beside
   * data written to stdout); sets the exit status.
   */
  show<T>(data: T, render: (data: T) => string, exitCode?: number, to?: 'stdout' | 'stderr'): void;
}

export type OpenSession = (command: Command) => Session;

interface GlobalOptions {
  endpoint?: string;
  json?: boolean;
}

export function sessionOpener(given: CliIo, setExitCode: (code: number) => void): OpenSession {
  const io = withDefaults(given);
  return (command) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    const endpoint = resolveEndpoint(options.endpoint, io.env);
    const json = options.json === true;
    return {
      client: new RegistryClient(endpoint, lazySigner(endpoint, io.env)),
      io,
      json,
      show(data, render, exitCode = 0, to = 'stdout') {
        if (json) io.stdout(`${asJson(data)}\n`);
        else io[to](`${render(data)}\n`);
        setExitCode(exitCode);
      },
    };
  };
}

/** Credentials are looked up at the first signed request, so commands that fail earlier need none. */
function lazySigner(endpoint: URL, env: Env): RequestSigner {
  let signer: Promise<RequestSigner> | undefined;
  return async (request, signingDate) => {
    signer ??= signingIdentity(endpoint, env).then(createSigner);
    return (await signer)(request, signingDate);
  };
}
