import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endLeftover, writePidFile } from '../../../../local/stack/leftovers';
import { isRunning } from '../../../../local/stack/processes';

/** A long-lived process whose command line holds `words`, standing for an emulator a crashed stack left behind. */
const longLived = (...words: string[]): ChildProcess =>
  spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', ...words], { stdio: 'ignore', detached: true });

const folder = mkdtempSync(join(tmpdir(), 'prism-leftovers-'));
const pidFile = join(folder, 'dynamodb.pid');
const marks = ['/opt/DynamoDBLocal.jar', join(folder, 'dynamodb'), '45811'];
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

function record(child: ChildProcess, recordedMarks = marks) {
  started.push(child);
  writePidFile(pidFile, { pid: child.pid!, marks: recordedMarks, startedAt: new Date().toISOString() });
}

describe('what a killed stack left behind', () => {
  test('the emulator a pid file names, still running with the same command line, is ended', async () => {
    const orphan = longLived(...marks);
    record(orphan);
    expect(await endLeftover(pidFile)).toBe(orphan.pid);
    expect(isRunning(orphan.pid!)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
  });

  test('a process that reused the pid, or any other, is never touched; the stale file goes', async () => {
    const stranger = longLived('something-else');
    record(stranger);
    expect(await endLeftover(pidFile)).toBeUndefined();
    expect(isRunning(stranger.pid!)).toBe(true);
    expect(existsSync(pidFile)).toBe(false);

    // The same program on another data folder is another stack's.
    const neighbour = longLived('/opt/DynamoDBLocal.jar', '/elsewhere/dynamodb', '45811');
    record(neighbour);
    expect(await endLeftover(pidFile)).toBeUndefined();
    expect(isRunning(neighbour.pid!)).toBe(true);
  });

  test('a pid file of a process that has ended, or no file at all, is nothing to do', async () => {
    const gone = spawn(process.execPath, ['-e', '0', ...marks], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    record(gone);
    expect(await endLeftover(pidFile)).toBeUndefined();
    expect(await endLeftover(join(folder, 'missing.pid'))).toBeUndefined();
  });
});
