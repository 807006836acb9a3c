import { monotonicFactory } from 'ulid';
import { BatchStore } from '../adapters/batch-store';
import { RegistryStore } from '../adapters/registry-store';
import { keyRing } from '../adapters/key-ring';
import { config } from '../config';
import type { KeyRing } from '../domain/keys';

/** What the use cases need from the outside world; handlers build it once, tests build their own. */
export interface Deps {
  store: RegistryStore;
  batches: BatchStore;
  keyRing: () => Promise<KeyRing>;
  now: () => Date;
  newId: () => string;
}

let deps: Deps | undefined;

export function defaultDeps(): Deps {
  deps ??= {
    store: new RegistryStore(config.tableName()),
    batches: new BatchStore(config.tableName()),
    keyRing,
    now: () => new Date(),
    newId: monotonicFactory(),
  };
  return deps;
}
