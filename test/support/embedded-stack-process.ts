import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LocalCredentials,
  PORT_VARIABLES,
  projectRoot,
  stackFiles,
  type StackPorts,
} from '../../local/stack/paths';
import { freeStackPorts } from '../../local/stack/ports';
import { runningStack } from '../../local/stack/stack-file';

/** The administrator credentials a stack in `home` wrote for its local clients. */
export const localCredentialsOf = (home: string): LocalCredentials =>
  JSON.parse(readFileSync(stackFiles(home).credentials, 'utf8')) as LocalCredentials;

export interface StackProcess {
  endpoint: string;
  /** The root of the stack's processes (see LaunchedStack). */
  pid: number;
  ports: StackPlace['ports'];
  home: string;
  dynamodbEndpoint: string;
  /** The emulated S3 (fauxqs), where a CSV dropped under `drop/` starts a batch. */
  s3Endpoint: string;
  credentials: LocalCredentials;
  /** Environment for a child process (the CLI) that should find this stack as a user's would. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Where a stack runs: its data folder, its ports and any settings, kept across its restarts. */
export interface StackPlace {
  home: string;
  ports: StackPorts;
  settings: Record<string, string>;
}

/** One run of `npm start`'s program, in a process group of its own (as a terminal gives it). */
export interface LaunchedStack {
  endpoint: string;
  /** The process launched (tsx, running the program in a child of its own): the root of the stack's processes. */
  pid: number;
  /** What it printed so far, both streams. */
  output(): string;
  /** Sends `signal` to its process, as `kill <pid>` does. */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` to its whole process group, as a closed terminal or an out-of-memory kill would. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Resolves once its process has exited. */
  exited(): Promise<void>;
}

/** A fresh data folder and free ports. */
export async function newStackPlace(settings: Record<string, string> = {}): Promise<StackPlace> {
  return { home: mkdtempSync(join(tmpdir(), 'prism-e2e-')), ports: await freeStackPorts(), settings };
}

/** Runs the embedded stack the way `npm start` does, in `place`, and resolves once it answers. */
export async function launchStack({ home, ports, settings }: StackPlace): Promise<LaunchedStack> {
  const env = {
    ...process.env,
    PRISM_REGISTRY_HOME: home,
    ...Object.fromEntries(
      (Object.keys(ports) as (keyof StackPorts)[]).map((service) => [PORT_VARIABLES[service], String(ports[service])]),
    ),
    ...settings,
  };
  const child = spawn(
    join(projectRoot(), 'node_modules/.bin/tsx'),
    ['--disable-warning=ExperimentalWarning', 'local/main.ts'],
    { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const endpoint = `http://127.0.0.1:${ports.gateway}`;
  await waitUntilHealthy(endpoint, stackFiles(home).stack, child, () => output);
  return {
    endpoint,
    pid: child.pid!,
    output: () => output,
    signal: (signal) => child.kill(signal),
    signalGroup: (signal) => process.kill(-child.pid!, signal),
    exited: () => exitOf(child),
  };
}

/** Runs the embedded stack the way `npm start` does, as its own process, in a fresh data folder, with `settings` in its environment. */
export async function startStackProcess(settings: Record<string, string> = {}): Promise<StackProcess> {
  const place = await newStackPlace(settings);
  const stack = await launchOnFreePorts(place);
  const { home, ports } = place;
  const credentials = localCredentialsOf(home);
  return {
    endpoint: stack.endpoint,
    pid: stack.pid,
    ports,
    home,
    dynamodbEndpoint: `http://127.0.0.1:${ports.dynamodb}`,
    s3Endpoint: `http://127.0.0.1:${ports.fauxqs}`,
    credentials,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PRISM_REGISTRY_HOME: home },
    stop: async () => {
      await stopGracefully(stack);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Launches the stack in `place`, on other free ports if another process took one of its ports between the
 * moment it was found free and the stack's start (the stack refuses to start then, saying so).
 */
async function launchOnFreePorts(place: StackPlace): Promise<LaunchedStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchStack(place);
    } catch (error) {
      if (attempt === 3 || !/is already in use/.test(String(error))) throw error;
      place.ports = await freeStackPorts();
    }
  }
}

/** Stopped as a service manager stops it; killed outright if it has not stopped within 15 s. */
export async function stopGracefully(stack: LaunchedStack): Promise<void> {
  const timer = setTimeout(() => stack.signalGroup('SIGKILL'), 15_000);
  stack.signal('SIGTERM');
  await stack.exited();
  clearTimeout(timer);
}

/**
 * Resolves once this stack has recorded itself as running at `endpoint` and answers there. The record comes
 * first: another process may take a port between the moment it was found free and the stack's listening, and
 * that process's answer must not pass for this stack's.
 */
async function waitUntilHealthy(
  endpoint: string,
  recordFile: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The embedded stack exited:\n${output()}`);
    try {
      if (runningStack(recordFile)?.endpoint === endpoint && (await fetch(`${endpoint}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`The embedded stack did not come up within 60 s:\n${output()}`);
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
