import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BATCH_INPUT_PREFIXES,
  BUCKET_PREFIXES,
  INPUT_RETENTION_DAYS,
  JOB_FILES_RETENTION_DAYS,
  RESULTS_RETENTION_DAYS,
} from '../../lambdas/resources';

/**
 * How long the registry bucket's server access logs are kept: a year of who read or wrote which object. They
 * also record presigned URLs, whose signatures expire within minutes (`lambdas/usecases/batch-requests.ts`).
 */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * How long a replaced or expired version of a file holding secrets (results, job files) is kept: a rewrite
 * of results leaves the old version behind, and an expiry only hides the current one.
 */
export const SUPERSEDED_SECRETS_DAYS = 1;

/** Private, encrypted with S3-managed keys, TLS only, owner-enforced, kept when the stack goes. */
const PRIVATE_BUCKET = {
  // S3-managed keys: presigned uploads and downloads need no KMS grants, and S3 server access logs can only
  // be delivered to a bucket encrypted this way.
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies BucketProps;

/**
 * The registry bucket (BUCKET_PREFIXES): batch CSVs come in under `uploads/` and `drop/`, results go out under
 * `results/`, job inputs and results under `jobs/`; the scheduled audit exports (`audits/`) and the audit-log
 * archive (`audit-log/`) are records and never expire, nor do the versions a rerun replaces. It keeps versions,
 * so a batch reads the version of its file that arrived first whatever is written to the key later (SPEC
 * §3.9); a replaced input version stays as long as inputs do, a replaced or expired version holding secrets
 * SUPERSEDED_SECRETS_DAYS. Private, encrypted, TLS only; it outlives the stack. Every request to it is logged
 * to the access log bucket, as private as the registry bucket and kept ACCESS_LOG_RETENTION_DAYS.
 */
export class RegistryStorage extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
    });

    const superseded = Duration.days(SUPERSEDED_SECRETS_DAYS);
    this.bucket = new Bucket(this, 'Bucket', {
      ...PRIVATE_BUCKET,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      lifecycleRules: [
        // Results hold tokens and encoded invitations, and so may job files (exports that asked for secrets).
        {
          id: 'ExpireResults',
          prefix: BUCKET_PREFIXES.results,
          expiration: Duration.days(RESULTS_RETENTION_DAYS),
          noncurrentVersionExpiration: superseded,
        },
        {
          id: 'ExpireJobFiles',
          prefix: BUCKET_PREFIXES.jobs,
          expiration: Duration.days(JOB_FILES_RETENTION_DAYS),
          noncurrentVersionExpiration: superseded,
        },
        ...BATCH_INPUT_PREFIXES.map((prefix) => ({
          id: `ExpireInputs-${prefix.replace(/\/$/, '')}`,
          prefix,
          expiration: Duration.days(INPUT_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(INPUT_RETENTION_DAYS),
        })),
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
  }
}
