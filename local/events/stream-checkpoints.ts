import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How far a function has read a table's stream, kept across restarts of the embedded stack. */
export interface StreamCheckpoints {
  /** The stream the positions are in: another stream (a table made anew) is read from its oldest record. */
  streamArn: string;
  /** Per shard: the sequence number of the last record handled, and whether the shard ended and was read to its end. */
  shards: Record<string, { after?: string; ended?: true }>;
}

const isCheckpoints = (value: unknown): value is StreamCheckpoints =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StreamCheckpoints).streamArn === 'string' &&
  typeof (value as StreamCheckpoints).shards === 'object' &&
  (value as StreamCheckpoints).shards !== null;

/**
 * The positions kept in `file` for `streamArn`; none (every shard from its oldest record) when the file is missing,
 * unreadable or about another stream. Reading from the oldest record again publishes again what was published
 * before: consumers tell events apart by their id.
 */
export function loadCheckpoints(file: string, streamArn: string): StreamCheckpoints {
  const fresh: StreamCheckpoints = { streamArn, shards: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fresh;
    throw error;
  }
  try {
    const saved: unknown = JSON.parse(text);
    return isCheckpoints(saved) && saved.streamArn === streamArn ? saved : fresh;
  } catch {
    console.error(`${file} is not readable JSON: reading the stream from its oldest record`);
    return fresh;
  }
}

/** Writes the positions whole or not at all (a new file renamed over the old), so a crash never leaves half of it. */
export function saveCheckpoints(file: string, checkpoints: StreamCheckpoints): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const next = `${file}.next`;
  writeFileSync(next, `${JSON.stringify(checkpoints)}\n`, { mode: 0o600 });
  renameSync(next, file);
}
