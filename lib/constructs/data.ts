import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AUDIT_TABLE, REGISTRY_TABLE, type KeyAttribute, type TableDefinition } from '../../system/resources';

/** The key ring's initial document; `k1` is generated (docs/SPEC.md §1.2, `lambdas/domain/keys.ts`). */
export const KEY_RING_TEMPLATE = { currentKid: 'k1' } as const;

const attribute = ({ name, type }: KeyAttribute): Attribute => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

const STREAM_VIEWS: Record<NonNullable<TableDefinition['stream']>, StreamViewType> = {
  NEW_IMAGE: StreamViewType.NEW_IMAGE,
};

/**
 * A table as `definition` describes it, with its stream where it has one: on demand, point-in-time recovery,
 * encrypted, TTL on, kept for good.
 */
function durableTable(scope: Construct, id: string, definition: TableDefinition): Table {
  const table = new Table(scope, id, {
    partitionKey: attribute(definition.partitionKey),
    sortKey: attribute(definition.sortKey),
    ...(definition.stream && { stream: STREAM_VIEWS[definition.stream] }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: definition.ttlAttribute,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      sortKey: attribute(index.sortKey),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
}

/**
 * The registry's state: the registry table (REGISTRY_TABLE), the audit log (AUDIT_TABLE, with the stream the audit
 * publisher reads) and the HMAC key ring. All outlive the stack.
 */
export class RegistryData extends Construct {
  public readonly table: Table;
  public readonly auditTable: Table;
  public readonly keySecret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = durableTable(this, 'Table', REGISTRY_TABLE);
    this.auditTable = durableTable(this, 'AuditTable', AUDIT_TABLE);

    // Losing the keys would make every issued token and encoded invitation unverifiable.
    this.keySecret = new Secret(this, 'KeyRing', {
      description: 'Prism registry HMAC key ring: {"currentKid": "<kid>", "<kid>": "<secret>", ...}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(KEY_RING_TEMPLATE),
        generateStringKey: KEY_RING_TEMPLATE.currentKid,
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
