/** A record as read, with the version a write conditional on it being unchanged names. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** One page of a listing, and the cursor of the next when there is more. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/**
 * What a conditional write raises: a stored record that matched nothing here, or a condition that no longer
 * held. The caller reads again and re-plans (see `usecases/optimistic.ts`).
 */
export class StaleState extends Error {
  constructor(readonly detail: string) {
    super(`Registry state changed while writing: ${detail}`);
    this.name = 'StaleState';
  }
}
