import { monotonicFactory } from 'ulid';
import type { BatchStore } from '../../../lambdas/adapters/batch-store';
import type { Deps } from '../../../lambdas/usecases/deps';
import { testKeyRing } from '../invitations';
import { MemoryAuditLog } from './audit-log';
import { MemoryEventPublisher } from './event-publisher';
import { MemoryJobQueue } from './job-queue';
import { MemoryJobStore } from './job-store';
import { MemoryObjectStore } from './object-store';
import { MemoryRegistryScan } from './registry-scan';
import { MemoryRegistryStore } from './registry-store';
import { MemoryTables } from './tables';

export type Clock = { now: Date };

/** No batches in memory: the cleanup's look for abandoned uploads finds none. */
const NO_BATCHES = { listBatches: () => Promise.resolve({ batches: [] }) };

/**
 * Use-case dependencies on in-memory ports, with the test key ring and a settable clock; `tables` is their shared
 * state and its interleaving hooks, `objects`, `jobQueue` and `events` what the use cases wrote and sent.
 */
export function memoryDeps(clock: Clock = { now: new Date() }) {
  const tables = new MemoryTables();
  const ring = testKeyRing();
  const now = () => clock.now;
  return {
    store: new MemoryRegistryStore(tables, now),
    scan: new MemoryRegistryScan(tables),
    jobs: new MemoryJobStore(tables),
    auditLog: new MemoryAuditLog(tables),
    objects: new MemoryObjectStore(),
    jobQueue: new MemoryJobQueue(),
    events: new MemoryEventPublisher(),
    // The batch store is still the DynamoDB class, whose private members no other class can match.
    batches: NO_BATCHES as unknown as BatchStore,
    keyRing: () => Promise.resolve(ring),
    now,
    newId: monotonicFactory(),
    clock,
    tables,
  } satisfies Deps & Record<string, unknown>;
}

export type MemoryDeps = ReturnType<typeof memoryDeps>;
