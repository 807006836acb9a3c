import { resolve } from 'node:path';
import { DEFAULT_ENDPOINT, stackFiles } from '../local/stack/paths';
import { runningStack } from '../local/stack/stack-file';
import type { Env } from './endpoint';

/** The embedded stack's files, under `PRISM_REGISTRY_HOME` of the CLI's environment when set. */
export const embeddedStackFiles = (env: Env) =>
  stackFiles(env.PRISM_REGISTRY_HOME ? resolve(env.PRISM_REGISTRY_HOME) : undefined);

/** Where the running stack says it listens (it may have been given another port), else its default address. */
export const embeddedStackEndpoint = (env: Env): string =>
  runningStack(embeddedStackFiles(env).stack)?.endpoint ?? DEFAULT_ENDPOINT;
