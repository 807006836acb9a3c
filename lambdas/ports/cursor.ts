import { invalid } from '../domain/errors';

/** Opaque pagination cursors: base64url JSON, refused with a clear error when tampered with. */
export const encodeCursor = (state: unknown): string => Buffer.from(JSON.stringify(state)).toString('base64url');

export function decodeCursor<T>(cursor: string | undefined, isValid: (value: unknown) => value is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor', 'is not a cursor this API returned');
}
