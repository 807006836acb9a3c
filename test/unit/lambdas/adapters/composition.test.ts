import { AuditLog } from '../../../../lambdas/adapters/audit-log';
import { awsDeps, defaultDeps } from '../../../../lambdas/adapters/composition';
import { EventBridgePublisher } from '../../../../lambdas/adapters/event-bus';
import { RegistryStore } from '../../../../lambdas/adapters/registry-store';

const unset = (name: string) => () => {
  throw new Error(`${name} is not set`);
};

describe('the composition root', () => {
  test('builds a member when first used: a function without a registry table still reads its audit log', () => {
    const deps = awsDeps({ tableName: unset('TABLE_NAME'), auditTableName: () => 'audit' });
    expect(deps.auditLog).toBeInstanceOf(AuditLog);
    expect(() => deps.store).toThrow('TABLE_NAME is not set');
  });

  test('keeps what it built: every use gets the same adapter', () => {
    const deps = awsDeps({ tableName: () => 'registry', auditTableName: () => 'audit' });
    expect(deps.store).toBeInstanceOf(RegistryStore);
    expect(deps.store).toBe(deps.store);
    expect(deps.newId).toBe(deps.newId);
  });

  test('answers a member whose adapter the bundle left out with an error naming it, the others as ever', () => {
    process.env.PRISM_BUNDLES_S3 = 'false';
    try {
      const deps = awsDeps({ tableName: () => 'registry', auditTableName: () => 'audit' });
      expect(() => deps.objects).toThrow("This function's bundle has no objects adapter");
      expect(deps.store).toBeInstanceOf(RegistryStore);
    } finally {
      delete process.env.PRISM_BUNDLES_S3;
    }
  });

  test('answers every store with that error when the bundle left DynamoDB out, and builds the bus as ever', () => {
    process.env.PRISM_BUNDLES_DYNAMODB = 'false';
    try {
      const deps = awsDeps({ tableName: () => 'registry', auditTableName: () => 'audit' });
      for (const member of ['store', 'scan', 'batches', 'jobs', 'auditLog'] as const) {
        expect(() => deps[member]).toThrow(`This function's bundle has no ${member} adapter`);
      }
      expect(deps.events).toBeInstanceOf(EventBridgePublisher);
    } finally {
      delete process.env.PRISM_BUNDLES_DYNAMODB;
    }
  });

  test('is built once per process', () => {
    expect(defaultDeps()).toBe(defaultDeps());
  });
});
