import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CliError } from './errors';
import type { LocalFile } from './presigned';
import type { Destination } from './save';
import type { Session } from './session';

/** Checks of the files a command names, made before it asks the registry for anything; errors name the flag. */

const reasonOf = (error: unknown, what = 'file') => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such ${what}`;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
};

/** A regular, readable, non-empty file, with its size. */
export async function inputFile(flag: string, path: string): Promise<LocalFile> {
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new CliError(`${flag}: ${path} is not a file`, 'usage');
      if (info.size === 0) throw new CliError(`${flag}: ${path} is empty`, 'usage');
      return { path, size: info.size };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${flag}: cannot read ${path}: ${reasonOf(error)}`, 'usage');
  }
}

/** A file that can be written: not a folder, in a folder that exists and may be written to. */
export async function outputFile(flag: string, path: string): Promise<string> {
  const isDirectory = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isDirectory) throw new CliError(`${flag}: ${path} is a folder`, 'usage');
  const folder = dirname(resolve(path));
  try {
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new CliError(`${flag}: cannot write to the folder ${folder}: ${reasonOf(error, 'folder')}`, 'usage');
  }
  return path;
}

/** `--output-file`, checked before anything starts; else standard output, which `--json` then cannot share. */
export async function destinationOf(session: Session, path: string | undefined): Promise<Destination> {
  if (path) return { file: await outputFile('--output-file', path) };
  if (session.json) {
    throw new CliError('--json needs --output-file: the results CSV goes to standard output otherwise', 'usage');
  }
  return { stdout: session.io.stdoutStream };
}
