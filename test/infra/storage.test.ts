import {
  BUCKET_PREFIXES,
  INPUT_RETENTION_DAYS,
  JOB_FILES_RETENTION_DAYS,
  RESULTS_RETENTION_DAYS,
} from '../../lambdas/resources';
import { logicalId, resource, resourceProperties, synthRegistry, type PolicyStatement } from './registry-template';

const { stack, template } = synthRegistry();
const bucketId = logicalId(stack.storage.bucket);
const bucket = () => resourceProperties(template, bucketId);

interface LifecycleRule {
  Prefix?: string;
  ExpirationInDays?: number;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
  Status: string;
}
const lifecycleRules = () => (bucket().LifecycleConfiguration as { Rules: LifecycleRule[] }).Rules;
const bucketPolicyStatements = () =>
  Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .map((policy) => policy.Properties as { Bucket: unknown; PolicyDocument: { Statement: PolicyStatement[] } })
    .filter((policy) => JSON.stringify(policy.Bucket) === JSON.stringify({ Ref: bucketId }))
    .flatMap((policy) => policy.PolicyDocument.Statement);

describe('registry bucket', () => {
  test('encrypts objects at rest', () => {
    expect(bucket().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test('refuses every request not sent over TLS, to the bucket and its objects', () => {
    expect(bucketPolicyStatements()).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Resource: [
        { 'Fn::GetAtt': [bucketId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      ],
    });
  });

  test('blocks all public access', () => {
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  test('owns every object, with ACLs disabled', () => {
    expect(bucket().OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
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

  test.each([BUCKET_PREFIXES.uploads, BUCKET_PREFIXES.drop])(
    `expires input CSVs under %s after ${INPUT_RETENTION_DAYS} days`,
    (prefix) => {
      expect(lifecycleRules()).toContainEqual(
        expect.objectContaining({ Prefix: prefix, ExpirationInDays: INPUT_RETENTION_DAYS, Status: 'Enabled' }),
      );
    },
  );

  test(`expires job files, which may hold secrets, after ${JOB_FILES_RETENTION_DAYS} days`, () => {
    expect(lifecycleRules()).toContainEqual(
      expect.objectContaining({
        Prefix: BUCKET_PREFIXES.jobs,
        ExpirationInDays: JOB_FILES_RETENTION_DAYS,
        Status: 'Enabled',
      }),
    );
  });

  test.each([BUCKET_PREFIXES.audits, BUCKET_PREFIXES.auditLog])(
    'keeps the records under %s: no expiring rule reaches them',
    (prefix) => {
      const reaching = lifecycleRules().filter(
        (rule) => rule.ExpirationInDays !== undefined && `${prefix}2026/01/01.ndjson`.startsWith(rule.Prefix ?? ''),
      );
      expect(reaching).toEqual([]);
    },
  );

  test('aborts multipart uploads left incomplete for a day, anywhere in the bucket', () => {
    expect(lifecycleRules()).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
    );
    expect(lifecycleRules().find((rule) => rule.AbortIncompleteMultipartUpload)).not.toHaveProperty('Prefix');
  });

  test('is retained when the stack is deleted or the bucket replaced', () => {
    expect(resource(template, bucketId)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('is output by name, for dropping CSVs under drop/', () => {
    template.hasOutput('BucketName', { Value: { Ref: bucketId } });
  });
});
