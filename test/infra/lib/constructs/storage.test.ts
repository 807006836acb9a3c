import {
  BATCH_INPUT_PREFIXES,
  BUCKET_PREFIXES,
  INPUT_RETENTION_DAYS,
  JOB_FILES_RETENTION_DAYS,
  RESULTS_RETENTION_DAYS,
} from '../../../../system/resources';
import {
  ACCESS_LOG_RETENTION_DAYS,
  DEFAULT_AUDIT_ARCHIVE_LOCK,
  SUPERSEDED_SECRETS_DAYS,
} from '../../../../lib/constructs/storage';
import {
  resource,
  resourceProperties,
  sharedRegistry,
  synthRegistry,
  type PolicyStatement,
} from '../../support/registry-template';

const { ids, template } = sharedRegistry();
const bucketId = ids.storage.bucket;
const bucket = () => resourceProperties(template, bucketId);
const accessLogBucketId = ids.storage.accessLogBucket;
const auditArchiveBucketId = ids.storage.auditArchiveBucket;

interface LifecycleRule {
  Prefix?: string;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
  ExpiredObjectDeleteMarker?: boolean;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Status: string;
}
const lifecycleRules = (id = bucketId) =>
  (resourceProperties(template, id).LifecycleConfiguration as { Rules: LifecycleRule[] }).Rules;
const bucketPolicyStatements = (id = bucketId) =>
  Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .map((policy) => policy.Properties as { Bucket: unknown; PolicyDocument: { Statement: PolicyStatement[] } })
    .filter((policy) => JSON.stringify(policy.Bucket) === JSON.stringify({ Ref: id }))
    .flatMap((policy) => policy.PolicyDocument.Statement);

describe.each<[string, string]>([
  ['registry bucket', ids.storage.bucket],
  ['audit archive bucket', ids.storage.auditArchiveBucket],
  ['access log bucket', ids.storage.accessLogBucket],
])('%s', (_name, id) => {
  const properties = () => resourceProperties(template, id);

  test('encrypts objects at rest', () => {
    expect(properties().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test('refuses every request not sent over TLS, to the bucket and its objects', () => {
    expect(bucketPolicyStatements(id)).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [{ 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] }],
    });
  });

  test('blocks all public access', () => {
    expect(properties().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  test('owns every object, with ACLs disabled', () => {
    expect(properties().OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('is retained when the stack is deleted or the bucket replaced', () => {
    expect(resource(template, id)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('registry bucket', () => {
  test('keeps versions, so a batch reads the version of its file that arrived first', () => {
    expect(bucket().VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test.each([BUCKET_PREFIXES.results, BUCKET_PREFIXES.jobs])(
    `removes a replaced or expired version under %s, which may hold secrets, after ${SUPERSEDED_SECRETS_DAYS} day`,
    (prefix) => {
      expect(lifecycleRules()).toContainEqual(
        expect.objectContaining({
          Prefix: prefix,
          NoncurrentVersionExpiration: { NoncurrentDays: SUPERSEDED_SECRETS_DAYS },
          Status: 'Enabled',
        }),
      );
    },
  );

  test.each(BATCH_INPUT_PREFIXES)(
    `keeps a replaced input version under %s as long as inputs, ${INPUT_RETENTION_DAYS} days: a batch may still read it`,
    (prefix) => {
      expect(lifecycleRules()).toContainEqual(
        expect.objectContaining({
          Prefix: prefix,
          ExpirationInDays: INPUT_RETENTION_DAYS,
          NoncurrentVersionExpiration: { NoncurrentDays: INPUT_RETENTION_DAYS },
          Status: 'Enabled',
        }),
      );
    },
  );

  test('removes delete markers that no longer hide any version, anywhere in the bucket', () => {
    expect(lifecycleRules()).toContainEqual({
      Id: 'RemoveExpiredDeleteMarkers',
      ExpiredObjectDeleteMarker: true,
      Status: 'Enabled',
    });
  });

  test(`expires results, which hold secrets, after ${RESULTS_RETENTION_DAYS} days`, () => {
    expect(lifecycleRules()).toContainEqual(
      expect.objectContaining({
        Prefix: BUCKET_PREFIXES.results,
        ExpirationInDays: RESULTS_RETENTION_DAYS,
        Status: 'Enabled',
      }),
    );
  });

  test(`expires job files, which may hold secrets, after ${JOB_FILES_RETENTION_DAYS} days`, () => {
    expect(lifecycleRules()).toContainEqual(
      expect.objectContaining({
        Prefix: BUCKET_PREFIXES.jobs,
        ExpirationInDays: JOB_FILES_RETENTION_DAYS,
        Status: 'Enabled',
      }),
    );
  });

  test('keeps the audit exports under audits/, and the versions a rerun replaces: no expiring rule reaches them', () => {
    const reaching = lifecycleRules().filter(
      (rule) =>
        (rule.ExpirationInDays !== undefined || rule.NoncurrentVersionExpiration !== undefined) &&
        `${BUCKET_PREFIXES.audits}2026-01-01/invitations.csv`.startsWith(rule.Prefix ?? ''),
    );
    expect(reaching).toEqual([]);
  });

  test('aborts multipart uploads left incomplete for a day, anywhere in the bucket', () => {
    expect(lifecycleRules()).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
    );
    expect(lifecycleRules().find((rule) => rule.AbortIncompleteMultipartUpload)).not.toHaveProperty('Prefix');
  });

  test('logs every request to the access log bucket', () => {
    expect(bucket().LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: accessLogBucketId } });
  });

  test('is output by name, for dropping CSVs under drop/', () => {
    template.hasOutput('BucketName', { Value: { Ref: bucketId } });
  });
});

describe('access log bucket', () => {
  test(`expires every log after ${ACCESS_LOG_RETENTION_DAYS} days`, () => {
    expect(lifecycleRules(accessLogBucketId)).toEqual([
      { Id: 'ExpireAccessLogs', ExpirationInDays: ACCESS_LOG_RETENTION_DAYS, Status: 'Enabled' },
    ]);
  });

  test("takes logs from S3's logging service for the registry and audit archive buckets of this account alone", () => {
    const writers = bucketPolicyStatements(accessLogBucketId).filter((statement) => statement.Effect === 'Allow');
    const logsOf = (sourceId: string, prefix: string) => ({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [accessLogBucketId, 'Arn'] }, `/${prefix}*`]] },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [sourceId, 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
    expect(writers).toEqual([logsOf(bucketId, ''), logsOf(auditArchiveBucketId, 'audit-archive/')]);
  });
});

describe('audit archive bucket', () => {
  const archive = (from = template) => resourceProperties(from, auditArchiveBucketId);

  test('keeps versions, each locked by S3 Object Lock: by default a year under GOVERNANCE', () => {
    expect(DEFAULT_AUDIT_ARCHIVE_LOCK).toEqual({ mode: 'GOVERNANCE', retentionDays: 365 });
    expect(archive()).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
    });
  });

  test('takes its lock from the auditArchiveRetentionDays and auditArchiveLockMode context values', () => {
    const { template: configured } = synthRegistry({
      auditArchiveRetentionDays: '2555',
      auditArchiveLockMode: 'compliance',
    });
    expect(archive(configured).ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } },
    });
  });

  test('lets nothing expire: its one lifecycle rule aborts multipart uploads left incomplete for a day', () => {
    expect(lifecycleRules(auditArchiveBucketId)).toEqual([
      {
        Id: 'AbortIncompleteMultipartUploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
    ]);
  });

  test('logs every request to the access log bucket, under audit-archive/', () => {
    expect(archive().LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogBucketId },
      LogFilePrefix: 'audit-archive/',
    });
  });

  test('is output by name', () => {
    template.hasOutput('AuditArchiveBucketName', { Value: { Ref: auditArchiveBucketId } });
  });
});
