import { monotonicFactory } from 'ulid';
import { config } from '../../lambdas/config';
import { AUDIT_TABLE, REGISTRY_TABLE } from '../../system/resources';
import { awsDeps } from '../../lambdas/adapters/composition';
import type { Deps } from '../../lambdas/usecases/deps';
import { bootstrapTable } from '../../local/emulators/bootstrap';
import { testKeyRing } from './invitations';

type Clock = { now: Date };

function depsOn(tableName: string, auditTableName: string, clock: Clock): Deps & { clock: Clock } {
  const ring = testKeyRing();
  return {
    ...awsDeps({ tableName: () => tableName, auditTableName: () => auditTableName }),
    keyRing: () => Promise.resolve(ring),
    now: () => clock.now,
    newId: monotonicFactory(),
    clock,
  };
}

/** Use-case dependencies against the integration run's DynamoDB Local and row queue, with a fixed key ring and a settable clock. */
export const integrationDeps = (clock: Clock = { now: new Date() }) =>
  depsOn(config.tableName(), config.auditTableName(), clock);

/**
 * The same on tables of their own, for jobs that work on every invitation (emergency revoke-all, cleanup,
 * exports): test files run side by side and must not touch each other's invitations.
 */
export async function isolatedDeps(clock: Clock = { now: new Date() }) {
  const suffix = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const [tableName, auditTableName] = [`prism-registry-${suffix}`, `prism-registry-audit-${suffix}`];
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB!;
  await Promise.all([
    bootstrapTable(endpoint, tableName, REGISTRY_TABLE),
    bootstrapTable(endpoint, auditTableName, AUDIT_TABLE),
  ]);
  return { ...depsOn(tableName, auditTableName, clock), tableName, auditTableName };
}

export { ADMIN, AS_ADMIN, AS_RECIPIENT } from './origins';
