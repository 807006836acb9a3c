import type { Command } from 'commander';
import { signingIdentity } from './credentials';
import { type Env, resolveEndpoint } from './endpoint';
import { RegistryClient } from './http';
import { asJson } from './output';
import { type RequestSigner, createSigner } from './signing';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
}

/** What a command's action works with: the API client and a way to print its answer. */
export interface Session {
  client: RegistryClient;
  /** Prints `data` as JSON under `--json`, else `render(data)`; sets the exit status. */
  show<T>(data: T, render: (data: T) => string, exitCode?: number): void;
}

export type OpenSession = (command: Command) => Session;

interface GlobalOptions {
  endpoint?: string;
  json?: boolean;
}

export function sessionOpener(io: CliIo, setExitCode: (code: number) => void): OpenSession {
  return (command) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    const endpoint = resolveEndpoint(options.endpoint, io.env);
    return {
      client: new RegistryClient(endpoint, lazySigner(endpoint, io.env)),
      show(data, render, exitCode = 0) {
        io.stdout(`${options.json ? asJson(data) : render(data)}\n`);
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
