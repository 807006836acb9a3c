import { monotonicFactory } from 'ulid';
import { DEFAULT_LAST_SEEN_INTERVAL_SECONDS } from '../../../lambdas/domain/device';
import type { Deps } from '../../../lambdas/usecases/deps';
import { testKeyRing } from '../invitations';
import { MemoryAuditLog } from './audit-log';
import { MemoryBatchStore } from './batch-store';
import { MemoryEventPublisher } from './event-publisher';
import { MemoryJobQueue } from './job-queue';
import { MemoryJobStore } from './job-store';
import { MemoryObjectStore } from './object-store';
import { MemoryRegistryScan } from './registry-scan';
import { MemoryRegistryStore } from './registry-store';
import { MemoryRowQueue } from './row-queue';
import { MemoryTables } from './tables';
import { MemoryDeliveryQueue, MemoryWebhookStore, recordingSender } from './webhooks';
import { DEFAULT_RETRY_SCHEDULE_SECONDS } from '../../../lambdas/domain/webhook';
import { MemoryMailQueue, projectTemplates, recordingMailSender } from './mail';

export type Clock = { now: Date };

/**
 * Use-case dependencies on in-memory ports, with the test key ring and a settable clock; `tables` is their shared
 * state and its interleaving hooks, `objects`, `jobQueue`, `rows` and `events` what the use cases wrote and sent.
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
    batches: new MemoryBatchStore(tables),
    rows: new MemoryRowQueue(now),
    keyRing: () => Promise.resolve(ring),
    now,
    newId: monotonicFactory(),
    lastSeenIntervalSeconds: DEFAULT_LAST_SEEN_INTERVAL_SECONDS,
    webhooks: new MemoryWebhookStore(tables),
    deliveries: new MemoryDeliveryQueue(),
    sendWebhook: recordingSender(),
    webhookRetrySchedule: DEFAULT_RETRY_SCHEDULE_SECONDS,
    allowLoopbackWebhooks: false,
    mail: new MemoryMailQueue(),
    sendMail: recordingMailSender(),
    mailTemplates: projectTemplates,
    clock,
    tables,
  } satisfies Deps & Record<string, unknown>;
}

export type MemoryDeps = ReturnType<typeof memoryDeps>;
