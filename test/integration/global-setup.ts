import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bootstrapLocalResources } from '../../local/emulators/bootstrap';
import { loadOrCreateKeyRing } from '../../local/stack/credentials';
import { emulatorEnvironment, type EmulatorEndpoints } from '../../local/stack/environment';
import { projectRoot, stackFiles } from '../../local/stack/paths';

/** Where global-teardown finds what to stop (jest runs both in its main process). */
export const EMULATORS = Symbol.for('prism-registry.integration.emulators');

export type RunningEmulators = { stop(): Promise<void> };

/** Starts `local-emulators.ts` and resolves with the endpoints it prints once the emulators answer. */
function startEmulatorProcess(eventsFile: string): Promise<{ child: ChildProcess; endpoints: EmulatorEndpoints }> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(__dirname, 'support/emulators.ts'), eventsFile],
    {
      cwd: projectRoot(),
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The emulators did not start (exit code ${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({ child, endpoints: JSON.parse(line) as EmulatorEndpoints });
    });
  });
}

function stopEmulatorProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end();
  });
}

/**
 * One in-memory DynamoDB Local and fauxqs for the whole integration run, with the registry and audit tables,
 * the bucket and the row and job queues, the local event bus and a fresh key ring, all under a scratch data folder that `PRISM_REGISTRY_HOME`
 * names (so `readLocalEvents()` finds the events). Test workers inherit the environment set here, so the
 * functions' SDK clients reach them. Nothing polls the queues or sends S3 events: tests invoke handlers.
 */
export default async function globalSetup(): Promise<void> {
  const files = stackFiles(mkdtempSync(join(tmpdir(), 'prism-integration-')));
  const { child, endpoints } = await startEmulatorProcess(files.events);
  const running: RunningEmulators = {
    stop: async () => {
      await stopEmulatorProcess(child);
      rmSync(files.home, { recursive: true, force: true });
    },
  };
  (globalThis as Record<symbol, RunningEmulators>)[EMULATORS] = running;

  const resources = await bootstrapLocalResources(endpoints);
  loadOrCreateKeyRing(files.keys);
  Object.assign(process.env, emulatorEnvironment(endpoints, resources, files.keys), {
    PRISM_REGISTRY_HOME: files.home,
  });
}
