import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION_DAYS } from '../../lambdas/resources';

/** SQS's longest retention: dead letters wait as long as possible for someone to look at them. */
export const DEAD_LETTER_RETENTION = Duration.days(DEAD_LETTER_RETENTION_DAYS);

/** An SQS queue encrypted with SQS-managed keys that refuses requests not sent over TLS. */
export class SecureQueue extends Queue {
  constructor(scope: Construct, id: string, props: Omit<QueueProps, 'encryption' | 'enforceSSL'> = {}) {
    super(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  }
}
