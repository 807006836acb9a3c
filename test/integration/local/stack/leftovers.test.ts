import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endLeftover, LEFTOVER_LIMITS, writePidFile } from '../../../../local/stack/leftovers';
import { freePort, isPortFree } from '../../../../local/stack/ports';
import { isRunning } from '../../../../local/stack/processes';

/** A long-lived process whose command line holds `words`, standing for an emulator a crashed stack left behind. */
const longLived = (...words: string[]): ChildProcess =>
  spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...words], { stdio: 'ignore', detached: true });

/**
 * A process listening on the port its first argument names which, once listening, says so and starts a helper
 * holding the same socket until `lingerMs` (its second argument) after it has ended, as threads still exiting
 * or a child it started would hold an emulator's port.
 */
const LISTENER = `
  const [port, lingerMs] = process.argv.slice(1).map(Number);
  const server = require('node:net').createServer().listen({ port, host: '127.0.0.1' }, () => {
    const helper = \`const timer = setInterval(() => {
      if (process.ppid === \${process.pid}) return;
      clearInterval(timer);
      setTimeout(() => {}, \${lingerMs});
    }, 20);\`;
    require('node:child_process').spawn(process.execPath, ['-e', helper], {
      stdio: ['ignore', 'ignore', 'ignore', server._handle.fd],
      detached: true,
    }).unref();
    console.log('listening');
  });
`;

/** A leftover listening on `port`, its port held `lingerMs` past its end; resolves once it listens. */
async function listening(port: number, lingerMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', LISTENER, String(port), String(lingerMs), ...marks], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

const folder = mkdtempSync(join(tmpdir(), 'prism-leftovers-'));
const pidFile = join(folder, 'dynamodb.pid');
const marks = ['/opt/DynamoDBLocal.jar', join(folder, 'dynamodb'), '45811'];
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

function record(child: ChildProcess, recordedMarks = marks, ports: number[] = []) {
  started.push(child);
  writePidFile(pidFile, { pid: child.pid!, marks: recordedMarks, ports, startedAt: new Date().toISOString() });
}

describe('what a killed stack left behind', () => {
  test('the emulator a pid file names, still running with the same command line, is ended', async () => {
    const orphan = longLived(...marks);
    record(orphan);
    expect(await endLeftover('DynamoDB Local', pidFile)).toBe(orphan.pid);
    expect(isRunning(orphan.pid!)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('a process that reused the pid, or any other, is never touched; the stale file goes', async () => {
    const stranger = longLived('something-else');
    record(stranger);
    expect(await endLeftover('DynamoDB Local', pidFile)).toBeUndefined();
    expect(isRunning(stranger.pid!)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);

    // The same program on another data folder is another stack's.
    const neighbour = longLived('/opt/DynamoDBLocal.jar', '/elsewhere/dynamodb', '45811');
    record(neighbour);
    expect(await endLeftover('DynamoDB Local', pidFile)).toBeUndefined();
    expect(isRunning(neighbour.pid!)).toBe(true);
  });

  test('a pid file of a process that has ended, or no file at all, is nothing to do', async () => {
    const gone = spawn(process.execPath, ['-e', '0', ...marks], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    record(gone);
    expect(await endLeftover('DynamoDB Local', pidFile)).toBeUndefined();
    expect(await endLeftover('DynamoDB Local', join(folder, 'missing.pid'))).toBeUndefined();
  });

  test('a leftover whose port stays taken a moment after it has ended: done only once the port is free', async () => {
    const port = await freePort();
    const orphan = await listening(port, 1_000);
    record(orphan, marks, [port]);
    expect(await endLeftover('DynamoDB Local', pidFile)).toBe(orphan.pid);
    expect(isRunning(orphan.pid!)).toBe(false);
    expect(await isPortFree(port)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('a port still taken past the limit: one error naming the process, its pid, the port and what to do', async () => {
    const port = await freePort();
    const orphan = await listening(port, 3_000);
    record(orphan, marks, [port]);
    await expect(endLeftover('DynamoDB Local', pidFile, { ...LEFTOVER_LIMITS, portsMs: 500 })).rejects.toThrow(
      `DynamoDB Local (pid ${orphan.pid}), left running by a previous run, has ended, but port ${port} is still taken`,
    );
    expect(isRunning(orphan.pid!)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
  });
});
