import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
  type BucketProps,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BATCH_INPUT_PREFIXES,
  BUCKET_PREFIXES,
  INPUT_RETENTION_DAYS,
  JOB_FILES_RETENTION_DAYS,
  RESULTS_RETENTION_DAYS,
} from '../../system/resources';

/**
 * How long the registry bucket's server access logs are kept: a year of who read or wrote which object. They
 * also record presigned URLs, whose signatures expire within minutes (`lambdas/usecases/batch/requests.ts`).
 */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * How long a replaced or expired version of a file holding secrets (results, job files) is kept: a rewrite
 * of results leaves the old version behind, and an expiry only hides the current one.
 */
export const SUPERSEDED_SECRETS_DAYS = 1;

/**
 * How the audit archive's objects are locked (S3 Object Lock): each version written stays `retentionDays` at least.
 * GOVERNANCE: no function, nor any principal without `s3:BypassGovernanceRetention`, can overwrite or delete a
 * locked version; an account administrator who holds that permission still can (to remove an archive written in
 * error, say). COMPLIANCE: nobody can, the account's root included, until the retention ends, and the retention
 * can never be shortened: a regulatory record, chosen knowingly.
 */
export interface AuditArchiveLock {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  retentionDays: number;
}

export const AUDIT_ARCHIVE_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const satisfies AuditArchiveLock['mode'][];

/** A year under GOVERNANCE: the threat is a function or a mistake rewriting the record, not the account's owner. */
export const DEFAULT_AUDIT_ARCHIVE_LOCK: AuditArchiveLock = { mode: 'GOVERNANCE', retentionDays: 365 };

/** S3 keeps an object lock at most 100 years. */
export const MAX_AUDIT_ARCHIVE_RETENTION_DAYS = 36_500;

export interface RegistryStorageProps {
  /** How the audit archive is locked, where not DEFAULT_AUDIT_ARCHIVE_LOCK. */
  auditArchiveLock?: Partial<AuditArchiveLock>;
}

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

/** A multipart upload left unfinished (its writer gave up without aborting it) is removed after a day. */
const ABORT_INCOMPLETE_UPLOADS = {
  id: 'AbortIncompleteMultipartUploads',
  abortIncompleteMultipartUploadAfter: Duration.days(1),
};

/**
 * The registry bucket (BUCKET_PREFIXES): batch CSVs come in under `uploads/` and `drop/`, results go out under
 * `results/`, job inputs and results under `jobs/`; the scheduled audit exports (`audits/`) are records and never
 * expire, nor do the versions a rerun replaces. It keeps versions, so a batch reads the version of its file that
 * arrived first whatever is written to the key later (docs/SPEC.md §3.9); a replaced input version stays as long as
 * inputs do, a replaced or expired version holding secrets SUPERSEDED_SECRETS_DAYS. Private, encrypted, TLS only; it outlives the stack. Every request to it is logged
 * to the access log bucket, as private as the registry bucket and kept ACCESS_LOG_RETENTION_DAYS.
 *
 * The audit archive bucket (AUDIT_ARCHIVE_PREFIXES) holds the daily audit-log archive, which only the archive job's
 * function may write: as private, logged to the same access log bucket (under `audit-archive/`), keeping every
 * version under S3 Object Lock (`AuditArchiveLock`). Nothing in it expires.
 */
export class RegistryStorage extends Construct {
  public readonly bucket: Bucket;
  public readonly accessLogBucket: Bucket;
  public readonly auditArchiveBucket: Bucket;
  public readonly auditArchiveLock: AuditArchiveLock;

  constructor(scope: Construct, id: string, { auditArchiveLock = {} }: RegistryStorageProps = {}) {
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
        ABORT_INCOMPLETE_UPLOADS,
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });

    const mode = auditArchiveLock.mode ?? DEFAULT_AUDIT_ARCHIVE_LOCK.mode;
    const retentionDays = auditArchiveLock.retentionDays ?? DEFAULT_AUDIT_ARCHIVE_LOCK.retentionDays;
    this.auditArchiveLock = { mode, retentionDays };
    const retention = Duration.days(retentionDays);
    this.auditArchiveBucket = new Bucket(this, 'AuditArchiveBucket', {
      ...PRIVATE_BUCKET,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        mode === 'COMPLIANCE' ? ObjectLockRetention.compliance(retention) : ObjectLockRetention.governance(retention),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'audit-archive/',
      lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
    });
  }
}
