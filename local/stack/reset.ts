import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { stackFiles } from './paths';
import { runningStack } from './stack-file';

/** `npm run reset`: deletes the embedded stack's data folder (data, credentials, keys), unless it is running. */

/** Guards against deleting a folder `PRISM_REGISTRY_HOME` points at by mistake. */
function looksLikeStackData(files: ReturnType<typeof stackFiles>): boolean {
  const { home, ...ownFiles } = files;
  const ours = new Set(Object.values(ownFiles).map((path) => basename(path)));
  const entries = readdirSync(home);
  return entries.length === 0 || entries.some((entry) => ours.has(entry));
}

function reset(): string {
  const files = stackFiles();
  const running = runningStack(files.stack);
  if (running) {
    throw new Error(`The embedded stack is running (pid ${running.pid}, ${running.endpoint}): stop it before a reset`);
  }
  if (!existsSync(files.home)) return `Nothing to reset: ${files.home} does not exist`;
  if (!looksLikeStackData(files)) {
    throw new Error(`${files.home} does not look like the embedded stack's data folder: not deleting it`);
  }
  rmSync(files.home, { recursive: true, force: true });
  return `Deleted ${files.home}: the next start begins with an empty registry and new credentials and keys`;
}

try {
  console.log(reset());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
