import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalCredentials, projectRoot, stackFiles } from '../../local/paths';
import { freePort } from '../../local/ports';

export interface StackProcess {
  endpoint: string;
  home: string;
  dynamodbEndpoint: string;
  /** The emulated S3 (fauxqs), where a CSV dropped under `drop/` starts a batch. */
  s3Endpoint: string;
  credentials: LocalCredentials;
  /** Environment for a child process (the CLI) that should find this stack as a user's would. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Runs the embedded stack the way `npm start` does, as its own process, in a fresh data folder, with `settings` in its environment. */
export async function startStackProcess(settings: Record<string, string> = {}): Promise<StackProcess> {
  const home = mkdtempSync(join(tmpdir(), 'prism-e2e-'));
  const ports = {
    gateway: await freePort(),
    dynamodb: await freePort(),
    fauxqs: await freePort(),
    events: await freePort(),
  };
  const env = {
    ...process.env,
    PRISM_REGISTRY_HOME: home,
    PRISM_GATEWAY_PORT: String(ports.gateway),
    PRISM_DYNAMODB_PORT: String(ports.dynamodb),
    PRISM_FAUXQS_PORT: String(ports.fauxqs),
    PRISM_EVENTS_PORT: String(ports.events),
    ...settings,
  };
  const child = spawn(
    join(projectRoot(), 'node_modules/.bin/tsx'),
    ['--disable-warning=ExperimentalWarning', 'local/main.ts'],
    {
      cwd: projectRoot(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const endpoint = `http://127.0.0.1:${ports.gateway}`;
  await waitUntilHealthy(endpoint, child, () => output);
  const credentials = JSON.parse(readFileSync(stackFiles(home).credentials, 'utf8')) as LocalCredentials;
  return {
    endpoint,
    home,
    dynamodbEndpoint: `http://127.0.0.1:${ports.dynamodb}`,
    s3Endpoint: `http://127.0.0.1:${ports.fauxqs}`,
    credentials,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PRISM_REGISTRY_HOME: home },
    stop: async () => {
      await stopChild(child);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function waitUntilHealthy(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The embedded stack exited:\n${output()}`);
    try {
      if ((await fetch(`${endpoint}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`The embedded stack did not come up within 60 s:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
