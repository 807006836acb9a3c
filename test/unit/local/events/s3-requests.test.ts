import { notificationKey } from '../../../../local/events/s3-event';
import { accessKeyOf, objectCreatedBy, type AnsweredRequest } from '../../../../local/events/s3-requests';

const request = (overrides: Partial<AnsweredRequest>): AnsweredRequest => ({
  method: 'PUT',
  route: '/:bucket/*',
  params: { bucket: 'registry', '*': 'uploads/a.csv' },
  query: {},
  headers: {},
  statusCode: 200,
  ...overrides,
});

describe('telling which S3 requests created an object', () => {
  it.each<[string, Partial<AnsweredRequest>, string]>([
    ['PutObject', {}, 'Put'],
    ['a presigned PutObject', { query: { 'X-Amz-Signature': 'abc', 'X-Amz-Credential': 'AKIA/x' } }, 'Put'],
    ['CopyObject', { headers: { 'x-amz-copy-source': '/registry/drop/b.csv' } }, 'Copy'],
    ['CompleteMultipartUpload', { method: 'POST', query: { uploadId: 'u1' } }, 'CompleteMultipartUpload'],
  ])('%s', (_, overrides, operation) => {
    expect(objectCreatedBy(request(overrides))).toEqual({ bucket: 'registry', key: 'uploads/a.csv', operation });
  });

  it.each<[string, Partial<AnsweredRequest>]>([
    ['UploadPart', { query: { uploadId: 'u1', partNumber: '1' } }],
    ['UploadPartCopy', { query: { uploadId: 'u1', partNumber: '2' }, headers: { 'x-amz-copy-source': '/r/k' } }],
    ['CreateMultipartUpload', { method: 'POST', query: { uploads: '' } }],
    ['RenameObject', { query: { renameObject: '' } }],
    ['a refused PutObject', { statusCode: 403 }],
    ['a PutObject answered 404 (no such bucket)', { statusCode: 404 }],
    ['GetObject', { method: 'GET' }],
    ['DeleteObject', { method: 'DELETE' }],
    ['CreateBucket (PUT /bucket/)', { params: { bucket: 'registry', '*': '' } }],
    ['an SQS call', { method: 'POST', route: '/', params: {} }],
  ])('not %s', (_, overrides) => {
    expect(objectCreatedBy(request(overrides))).toBeUndefined();
  });
});

describe('the caller of an S3 request', () => {
  it('is the access key of a signed request, in its header or its presigned URL, and none when unsigned', () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=AKIAHEADER/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x';
    expect(accessKeyOf({ authorization }, {})).toBe('AKIAHEADER');
    expect(accessKeyOf({}, { 'X-Amz-Credential': 'AKIAPRESIGNED/20260101/us-east-1/s3/aws4_request' })).toBe(
      'AKIAPRESIGNED',
    );
    expect(accessKeyOf({}, {})).toBeUndefined();
  });
});

describe('keys in S3 event notifications', () => {
  it.each([
    ['uploads/plain.csv', 'uploads/plain.csv'],
    ['uploads/with space.csv', 'uploads/with+space.csv'],
    ['drop/a+b=c&d.csv', 'drop/a%2Bb%3Dc%26d.csv'],
    ["drop/(x)!'~*_-.csv", 'drop/%28x%29%21%27%7E*_-.csv'],
    ['drop/été 100%.csv', 'drop/%C3%A9t%C3%A9+100%25.csv'],
  ])('encode %j as %j, which decodes back', (key, encoded) => {
    expect(notificationKey(key)).toBe(encoded);
    expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe(key);
  });
});
