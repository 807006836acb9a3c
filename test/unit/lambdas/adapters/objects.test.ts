import { CONFIGURED_BUCKETS, S3ObjectStore } from '../../../../lambdas/adapters/objects';
import { S3RestClient } from '../../../../lambdas/adapters/s3/rest-client';
import { ObjectChanged } from '../../../../lambdas/ports';
import { ENV } from '../../../../system/resources';
import { type Answer, fakeApi, type Recorded } from '../../../support/fake-api';
import { crc32Base64 } from '../../../support/s3-requests';

/** Presigned URLs are made offline: signing needs a region, credentials and the bucket's name, no service. */
const SETTINGS = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
  AWS_SECRET_ACCESS_KEY: 'example-secret-key-example-secret-key-00',
  // S3's own endpoint, whatever a run beside the integration tests has set.
  AWS_ENDPOINT_URL_S3: '',
  AWS_ENDPOINT_URL: '',
  [ENV.bucketName]: 'registry-bucket',
};

describe('presigned URLs', () => {
  const saved = { ...process.env };
  beforeAll(() => Object.assign(process.env, SETTINGS));
  afterAll(() => {
    process.env = saved;
  });

  const objects = new S3ObjectStore(CONFIGURED_BUCKETS);

  test.each([
    ['an upload', () => objects.presignUpload('uploads/01JBATCH.csv', 900)],
    ['a download', () => objects.presignDownload('results/01JBATCH.csv', 300)],
  ])('%s URL carries no checksum, so any file of the right signature is taken', async (_label, presign) => {
    const url = new URL(await presign());
    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
    expect(names).toContain('x-amz-signature');
    expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
  });

  test('a URL goes to S3 in the region, path-style, for the time asked, signed for its host alone', async () => {
    const url = new URL(await objects.presignUpload('uploads/batch 01 (copy)+ü.csv', 900));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://s3.eu-west-1.amazonaws.com/registry-bucket/uploads/batch%2001%20%28copy%29%2B%C3%BC.csv',
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      'X-Amz-Credential': expect.stringMatching(/^AKIAEXAMPLEEXAMPLE00\/\d{8}\/eu-west-1\/s3\/aws4_request$/),
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(url.href).not.toContain(SETTINGS.AWS_SECRET_ACCESS_KEY);
  });
});

const CREDENTIALS = {
  accessKeyId: 'AKIAFAKES3CREDENTIAL',
  secretAccessKey: 'fake-s3-secret-never-to-be-shown',
  sessionToken: 'fake-s3-session-token-never-to-be-shown',
};
const MIB = 1024 * 1024;

const s3 = fakeApi();
let client: S3RestClient | undefined;
const objects = new S3ObjectStore(
  { registry: () => 'registry', auditArchive: () => 'archive' },
  () => (client ??= new S3RestClient({ endpoint: s3.endpoint, region: 'eu-west-1', credentials: CREDENTIALS })),
);

const errorAnswer = (status: number, code: string, message: string, more = ''): Answer => ({
  status,
  type: 'application/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${more}<RequestId>4442587FB7D0A2F9</RequestId></Error>`,
});
const xmlAnswer = (body: string): Answer => ({ type: 'application/xml', body });
const stored = (eTag = '"5d41402abc4b2a76b9719d911017c592"'): Answer => ({ body: '', headers: { etag: eTag } });

const queryOf = (request: Recorded) => Object.fromEntries(new URL(request.url, s3.endpoint).searchParams);

async function* linesOf(bytes: number, lineBytes = 1024) {
  for (let sent = 0; sent < bytes; sent += lineBytes) yield `${'x'.repeat(lineBytes - 1)}\n`;
}

/** S3's multipart requests on `path`, each answered as S3 does unless `answers` says otherwise. */
function multipartRoutes(
  path: string,
  answers: { part?: (number: number) => Answer | undefined; complete?: Answer } = {},
) {
  s3.routes[`POST ${path}`] = (request) =>
    'uploads' in queryOf(request)
      ? xmlAnswer('<InitiateMultipartUploadResult><UploadId>upload&amp;1</UploadId></InitiateMultipartUploadResult>')
      : (answers.complete ??
        xmlAnswer('<CompleteMultipartUploadResult><ETag>"all-2"</ETag></CompleteMultipartUploadResult>'));
  s3.routes[`PUT ${path}`] = (request) => {
    const number = Number(queryOf(request).partNumber);
    return answers.part?.(number) ?? stored(`"part-${number}"`);
  };
  s3.routes[`DELETE ${path}`] = () => ({ status: 204, body: '' });
}

const operations = () =>
  s3.recorded.map((request) => {
    const query = queryOf(request);
    return `${request.method} ${Object.keys(query).sort().join('&')}`.trim();
  });

describe('the S3 adapter on the wire', () => {
  test('a write is one PUT of the body with its type and its CRC32, signed with the credentials', async () => {
    s3.routes['PUT /registry/uploads/01.csv'] = () => stored();
    await objects.write('uploads/01.csv', 'a,b\n1,2\n', 'text/csv');

    const [put] = s3.recorded;
    expect(s3.recorded).toHaveLength(1);
    expect(put!.body).toBe('a,b\n1,2\n');
    expect(put!.headers).toMatchObject({
      'content-type': 'text/csv',
      'content-length': '8',
      'x-amz-checksum-crc32': crc32Base64(Buffer.from('a,b\n1,2\n')),
      'x-amz-security-token': CREDENTIALS.sessionToken,
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIAFAKES3CREDENTIAL\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=.*x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date.*, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  test('a key is encoded segment by segment, its slashes kept', async () => {
    s3.routes['PUT /registry/uploads/batch%2001%20%28copy%29%2B%C3%BC.csv'] = () => stored();
    await objects.write('uploads/batch 01 (copy)+ü.csv', 'x', 'text/csv');
    expect(s3.recorded.map(({ url }) => url)).toEqual(['/registry/uploads/batch%2001%20%28copy%29%2B%C3%BC.csv']);
  });

  test('info is a HEAD of the version asked for: size, ETag, version and metadata; a 404 is no object', async () => {
    s3.routes['HEAD /registry/uploads/01.csv'] = (request) =>
      queryOf(request).versionId === 'v1'
        ? {
            body: '',
            headers: {
              'content-length': '8',
              etag: '"abc"',
              'x-amz-version-id': 'v1',
              'x-amz-meta-origin': 'partner',
            },
          }
        : { status: 404, body: '' };

    expect(await objects.info('uploads/01.csv', 'v1')).toEqual({
      size: 8,
      eTag: '"abc"',
      versionId: 'v1',
      metadata: { origin: 'partner' },
    });
    expect(await objects.info('uploads/01.csv', 'v2')).toBeUndefined();
  });

  test('a pinned read asks for the version while its ETag matches; a refusal of either is ObjectChanged', async () => {
    const answers = [
      errorAnswer(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'),
      errorAnswer(404, 'NoSuchVersion', 'The specified version does not exist.'),
    ];
    s3.routes['GET /registry/uploads/01.csv'] = () => answers.shift()!;
    const pin = { eTag: '"abc"', size: 8, versionId: 'v1' };

    for (let n = 0; n < 2; n++) await expect(objects.read('uploads/01.csv', pin)).rejects.toBeInstanceOf(ObjectChanged);
    expect(s3.recorded.map((request) => [queryOf(request), request.headers['if-match']])).toEqual([
      [{ versionId: 'v1' }, '"abc"'],
      [{ versionId: 'v1' }, '"abc"'],
    ]);
  });

  test('a missing key is NoSuchKey to a read and no text to readText', async () => {
    s3.routes['GET /registry/missing.csv'] = () => errorAnswer(404, 'NoSuchKey', 'The specified key does not exist.');
    await expect(objects.read('missing.csv')).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(await objects.readText('missing.csv')).toBeUndefined();
  });

  test("S3's error becomes an error named by its code, with its message and the status", async () => {
    s3.routes['GET /registry/x.csv'] = () => errorAnswer(404, 'NoSuchBucket', 'The specified bucket does not exist');
    s3.routes['HEAD /registry/x.csv'] = () => ({ status: 403, body: '' });

    await expect(objects.readText('x.csv')).rejects.toMatchObject({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist (HTTP 404)',
      status: 404,
    });
    // A HEAD's answer has no body: its status names it.
    await expect(objects.info('x.csv')).rejects.toMatchObject({ name: 'Forbidden', message: 'Forbidden (HTTP 403)' });
  });

  test('a 503 is sent again, and the second answer taken', async () => {
    const answers = [errorAnswer(503, 'ServiceUnavailable', 'Please reduce your request rate.'), stored()];
    s3.routes['PUT /registry/01.csv'] = () => answers.shift()!;
    await objects.write('01.csv', 'x', 'text/csv');
    expect(s3.recorded.map(({ method }) => method)).toEqual(['PUT', 'PUT']);
  });

  test('a 403 is not sent again', async () => {
    s3.routes['PUT /registry/01.csv'] = () => errorAnswer(403, 'AccessDenied', 'Access Denied');
    await expect(objects.write('01.csv', 'x', 'text/csv')).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(s3.recorded).toHaveLength(1);
  });

  test('no credential or signature reaches the error, though S3 echoes the request it refused', async () => {
    let signature = '';
    s3.routes['PUT /registry/01.csv'] = (request) => {
      signature = /Signature=(\w+)/.exec(request.headers.authorization ?? '')![1]!;
      return errorAnswer(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
        `<AWSAccessKeyId>${CREDENTIALS.accessKeyId}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256 ${signature}</StringToSign><SignatureProvided>${signature}</SignatureProvided><CanonicalRequest>x-amz-security-token:${CREDENTIALS.sessionToken}</CanonicalRequest>`,
      );
    };
    const error: unknown = await objects.write('01.csv', 'x', 'text/csv').catch((refusal: unknown) => refusal);

    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    const told = [String(error), (error as Error).stack, JSON.stringify(error)].join('\n');
    for (const secret of [...Object.values(CREDENTIALS), signature]) expect(told).not.toContain(secret);
  });

  test('in Lambda, each request carries the invocation’s trace header', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_LAMBDA_FUNCTION_NAME: 'batches',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    s3.routes['PUT /registry/01.csv'] = () => stored();
    try {
      await objects.write('01.csv', 'x', 'text/csv');
    } finally {
      process.env = saved;
    }
    expect(s3.recorded[0]!.headers['x-amzn-trace-id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('streamed writes', () => {
  test('a stream that fits in one part is a single PUT with its CRC32', async () => {
    s3.routes['PUT /archive/audit-log/2031.ndjson'] = () => stored();
    await objects.writeStream('audit-log/2031.ndjson', linesOf(4096), 'application/x-ndjson', 'auditArchive');

    expect(operations()).toEqual(['PUT']);
    expect(s3.recorded[0]!.headers['x-amz-checksum-crc32']).toBe(crc32Base64(s3.recorded[0]!.raw));
  });

  test('a longer stream is a multipart upload: parts of 5 MiB with their CRC32, then their list', async () => {
    multipartRoutes('/archive/audit-log/big.ndjson');
    await objects.writeStream('audit-log/big.ndjson', linesOf(6 * MIB), 'application/x-ndjson', 'auditArchive');

    expect(operations()).toEqual([
      'POST uploads',
      'PUT partNumber&uploadId',
      'PUT partNumber&uploadId',
      'POST uploadId',
    ]);
    const [create, first, second, complete] = s3.recorded;
    expect(create!.headers).toMatchObject({
      'content-type': 'application/x-ndjson',
      'x-amz-checksum-algorithm': 'CRC32',
    });
    expect([first, second].map((part) => [part!.raw.length, queryOf(part!)])).toEqual([
      [5 * MIB, { partNumber: '1', uploadId: 'upload&1' }],
      [MIB, { partNumber: '2', uploadId: 'upload&1' }],
    ]);
    for (const part of [first!, second!]) expect(part.headers['x-amz-checksum-crc32']).toBe(crc32Base64(part.raw));
    expect(complete!.body).toBe(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Part><PartNumber>1</PartNumber><ETag>"part-1"</ETag><ChecksumCRC32>${crc32Base64(first!.raw)}</ChecksumCRC32></Part>` +
        `<Part><PartNumber>2</PartNumber><ETag>"part-2"</ETag><ChecksumCRC32>${crc32Base64(second!.raw)}</ChecksumCRC32></Part>` +
        '</CompleteMultipartUpload>',
    );
  });

  test('a completion answered 200 with an <Error> fails, and the upload is aborted', async () => {
    multipartRoutes('/registry/results/big.csv', {
      complete: xmlAnswer(
        '<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
      ),
    });
    await expect(objects.writeStream('results/big.csv', linesOf(6 * MIB), 'text/csv')).rejects.toMatchObject({
      name: 'InternalError',
      message: 'We encountered an internal error. Please try again. (HTTP 200)',
    });
    expect(operations().slice(-2)).toEqual(['POST uploadId', 'DELETE uploadId']);
  });

  test('a part refused fails the upload, which is aborted and never completed', async () => {
    multipartRoutes('/registry/results/big.csv', {
      part: (number) => (number === 2 ? errorAnswer(400, 'InvalidArgument', 'Part refused') : undefined),
    });
    await expect(objects.writeStream('results/big.csv', linesOf(6 * MIB), 'text/csv')).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    expect(operations()).toEqual([
      'POST uploads',
      'PUT partNumber&uploadId',
      'PUT partNumber&uploadId',
      'DELETE uploadId',
    ]);
  });

  test('a stream that fails once parts are sent aborts the upload', async () => {
    multipartRoutes('/registry/results/big.csv');
    async function* failing() {
      yield* linesOf(5 * MIB);
      throw new Error('the scan broke off');
    }
    await expect(objects.writeStream('results/big.csv', failing(), 'text/csv')).rejects.toThrow('the scan broke off');
    expect(operations()).toEqual(['POST uploads', 'PUT partNumber&uploadId', 'DELETE uploadId']);
  });
});
