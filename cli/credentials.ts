import { readFile } from 'node:fs/promises';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import * as z from 'zod/mini';
import type { LocalCredentials } from '../local/stack/paths';
import { embeddedStackFiles } from './embedded-stack';
import { type Env, isLoopback, regionOf } from './endpoint';
import { CliError } from './errors';
import type { SigningIdentity } from './signing';

const nonEmpty = z.string().check(z.minLength(1));
const localCredentials = z.object({
  accessKeyId: nonEmpty,
  secretAccessKey: nonEmpty,
  region: nonEmpty,
}) satisfies z.ZodMiniType<LocalCredentials>;

/**
 * Against the embedded stack (a loopback endpoint whose credentials file exists) the stack's own credentials,
 * with nothing to set up; anywhere else the standard AWS credential chain.
 */
export async function signingIdentity(endpoint: URL, env: Env): Promise<SigningIdentity> {
  const local = isLoopback(endpoint) ? await readLocalCredentials(embeddedStackFiles(env).credentials) : undefined;
  if (local) {
    const { region, ...credentials } = local;
    return { region, credentials };
  }
  const region = regionOf(endpoint) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw isLoopback(endpoint)
      ? new CliError(
          `no embedded-stack credentials at ${embeddedStackFiles(env).credentials}: start the stack with \`npm start\` ` +
            '(or set PRISM_REGISTRY_HOME to its data folder)',
          'no_credentials',
        )
      : new CliError(`cannot tell the AWS region of ${endpoint.origin}; set AWS_REGION`, 'region_unknown');
  }
  return { region, credentials: fromNodeProviderChain() };
}

async function readLocalCredentials(path: string): Promise<LocalCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, 'bad_credentials_file');
  }
  try {
    return z.parse(localCredentials, JSON.parse(text));
  } catch {
    throw new CliError(`${path} is not a valid credentials file`, 'bad_credentials_file');
  }
}
