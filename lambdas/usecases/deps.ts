import { monotonicFactory } from 'ulid';
import { AuditLog } from '../adapters/audit-log';
import { BatchStore } from '../adapters/batch-store';
import { JobStore } from '../adapters/job-store';
import { RegistryStore } from '../adapters/registry-store';
import { RegistryScan } from '../adapters/registry-scan';
import { keyRing } from '../adapters/key-ring';
import { config } from '../config';
import type { KeyRing } from '../domain/keys';

/** What the use cases need from the outside world; handlers build it once, tests build their own. */
export interface Deps {
  store: RegistryStore;
  /** Whole-table streaming reads, for exports and audits. */
  scan: RegistryScan;
  batches: BatchStore;
  jobs: JobStore;
  auditLog: AuditLog;
  keyRing: () => Promise<KeyRing>;
  now: () => Date;
  /** A ULID; minted at `seedTime` (epoch ms) when given, so ids of audit events sort as their times. */
  newId: (seedTime?: number) => string;
}

/** The stores, given the registry and audit tables. */
export function stores(
  tableName: string,
  auditTableName: () => string,
): Pick<Deps, 'store' | 'scan' | 'batches' | 'jobs' | 'auditLog'> {
  return {
    store: new RegistryStore(tableName, auditTableName),
    scan: new RegistryScan(tableName),
    batches: new BatchStore(tableName, auditTableName),
    jobs: new JobStore(tableName, auditTableName),
    auditLog: new AuditLog(auditTableName),
  };
}

let deps: Deps | undefined;

export function defaultDeps(): Deps {
  deps ??= {
    ...stores(config.tableName(), config.auditTableName),
    keyRing,
    now: () => new Date(),
    newId: monotonicFactory(),
  };
  return deps;
}
