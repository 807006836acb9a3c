import { StaleState } from '../ports/common';
import { documents } from './clients';

function isStaleError(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return (
    name === 'TransactionCanceledException' ||
    name === 'ConditionalCheckFailedException' ||
    name === 'TransactionConflictException'
  );
}

/** Turns a failed condition or a transaction conflict into `StaleState`. */
export async function guarded<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isStaleError(error)) throw new StaleState(what);
    throw error;
  }
}

/** One TransactWriteItems call; `StaleState` when any of its conditions failed or it conflicted. */
export async function transactWrite(items: Record<string, unknown>[], what: string): Promise<void> {
  await guarded(what, () => documents().transactWrite({ TransactItems: items as never }));
}

/** Whether a conditional write took effect: false when its condition no longer held. */
export async function landed(what: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await guarded(what, write);
    return true;
  } catch (error) {
    if (error instanceof StaleState) return false;
    throw error;
  }
}
