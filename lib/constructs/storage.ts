import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BUCKET_PREFIXES,
  INPUT_RETENTION_DAYS,
  JOB_FILES_RETENTION_DAYS,
  RESULTS_RETENTION_DAYS,
} from '../../lambdas/resources';

/**
 * The registry bucket (BUCKET_PREFIXES): batch CSVs come in under `uploads/` and `drop/`, results go out under
 * `results/`, job inputs and results under `jobs/`; the scheduled audit exports (`audits/`) and the audit-log
 * archive (`audit-log/`) are records and never expire. Private, encrypted, TLS only; it outlives the stack.
 */
export class RegistryStorage extends Construct {
  public readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Bucket', {
      // S3-managed keys: presigned uploads and downloads then need no KMS grants.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Results hold tokens and encoded invitations, and so may job files (exports that asked for secrets).
        {
          id: 'ExpireResults',
          prefix: BUCKET_PREFIXES.results,
          expiration: Duration.days(RESULTS_RETENTION_DAYS),
        },
        { id: 'ExpireJobFiles', prefix: BUCKET_PREFIXES.jobs, expiration: Duration.days(JOB_FILES_RETENTION_DAYS) },
        ...[BUCKET_PREFIXES.uploads, BUCKET_PREFIXES.drop].map((prefix) => ({
          id: `ExpireInputs-${prefix.replace(/\/$/, '')}`,
          prefix,
          expiration: Duration.days(INPUT_RETENTION_DAYS),
        })),
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
