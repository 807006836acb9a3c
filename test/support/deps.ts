import { monotonicFactory } from 'ulid';
import { BatchStore } from '../../lambdas/adapters/batch-store';
import { RegistryStore } from '../../lambdas/adapters/registry-store';
import { config } from '../../lambdas/config';
import type { Deps } from '../../lambdas/usecases/deps';
import { testKeyRing } from './invitations';

/** Use-case dependencies against the integration run's DynamoDB Local, with a fixed key ring and a settable clock. */
export function integrationDeps(clock: { now: Date } = { now: new Date() }): Deps & { clock: typeof clock } {
  const ring = testKeyRing();
  return {
    store: new RegistryStore(config.tableName()),
    batches: new BatchStore(config.tableName()),
    keyRing: () => Promise.resolve(ring),
    now: () => clock.now,
    newId: monotonicFactory(),
    clock,
  };
}

export const ADMIN = 'arn:aws:iam::000000000000:user/test-admin';
