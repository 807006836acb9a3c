import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { REGISTRY_TABLE, type KeyAttribute } from '../../lambdas/resources';

/** The key ring's initial document; `k1` is generated (SPEC §1.2, `lambdas/domain/keys.ts`). */
export const KEY_RING_TEMPLATE = { currentKid: 'k1' } as const;

const attribute = ({ name, type }: KeyAttribute): Attribute => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** The registry's state: the one table (REGISTRY_TABLE) and the HMAC key ring. Both outlive the stack. */
export class RegistryData extends Construct {
  public readonly table: Table;
  public readonly keySecret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: attribute(REGISTRY_TABLE.partitionKey),
      sortKey: attribute(REGISTRY_TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: REGISTRY_TABLE.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of REGISTRY_TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }

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
