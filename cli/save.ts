import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from './errors';

/** Where a downloaded file goes: `--output-file`, else standard output. */
export type Destination = { file: string } | { stdout: Writable };

export const describeDestination = (destination: Destination) =>
  'file' in destination ? destination.file : 'standard output';

/**
 * Writes `source` byte for byte and returns how many bytes. A file appears only once complete (it is written
 * beside its place, then renamed into it; with `expectedBytes`, only when that many arrived), readable by its
 * owner only: batch results hold secrets.
 */
export async function save(
  source: Readable,
  destination: Destination,
  what: string,
  expectedBytes?: number,
): Promise<number> {
  let bytes = 0;
  const count = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  if ('stdout' in destination) {
    await pipeline(source, count, destination.stdout, { end: false }).catch(brokenOff(what));
    return bytes;
  }
  const { file } = destination;
  const partial = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await pipeline(source, count, createWriteStream(partial, { flags: 'wx', mode: 0o600 })).catch(brokenOff(what));
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      throw new CliError(`${what} broke off: ${bytes} of ${expectedBytes} bytes arrived`, 'download_failed');
    }
    await rename(partial, file);
    return bytes;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

const brokenOff = (what: string) => (error: Error) => {
  if (error instanceof CliError) throw error;
  throw new CliError(`${what} broke off: ${error.message}`, 'download_failed');
};
