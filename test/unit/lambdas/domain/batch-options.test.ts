import { metadataOptions, sidecarOptions } from '../../../../lambdas/domain/batch-options';

describe("a dropped file's batch options", () => {
  test('object metadata names each option in lower case; its text becomes booleans and numbers; other metadata is ignored', () => {
    expect(
      metadataOptions({
        'parent-id': '01M8VXAXF4KPGTZZ9QSHQ01G40',
        's3-config': 's3://university/cs101/config',
        'include-encoded': 'true',
        concurrency: '7',
        'has-header': 'false',
        'uploaded-by': 'someone',
      }),
    ).toEqual({
      parentId: '01M8VXAXF4KPGTZZ9QSHQ01G40',
      s3ConfigPath: 's3://university/cs101/config',
      includeEncoded: true,
      concurrency: 7,
      hasHeader: false,
    });
    expect(metadataOptions({})).toEqual({});
  });

  test('a sidecar gives them as JSON, a parent token among them', () => {
    expect(
      sidecarOptions('drop/roster.csv', JSON.stringify({ parentToken: 'inv-x', includeEncoded: true, concurrency: 2 })),
    ).toEqual({ parentToken: 'inv-x', includeEncoded: true, concurrency: 2 });
  });

  test.each([
    [{ concurrency: 'lots' }, 'object metadata: concurrency: '],
    [{ concurrency: '2.5' }, 'object metadata: concurrency: must be a whole number from 1 to 50'],
    [{ concurrency: '51' }, 'object metadata: concurrency: must be a whole number from 1 to 50'],
    [{ 'include-encoded': 'yes' }, 'object metadata: includeEncoded: must be true or false'],
    [{ 'parent-id': 'x'.repeat(65) }, 'object metadata: parentId: must be at most 64 characters'],
    [{ 's3-config': 's3://a\nb' }, 'object metadata: s3ConfigPath: must not contain control characters'],
  ])('metadata %j is refused: %s', (metadata, message) => {
    expect(() => metadataOptions(metadata)).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'invalid_batch_options',
        message: expect.stringContaining(message),
      }),
    );
  });

  test('a sidecar that is not JSON, or names an option there is not, is refused saying which file', () => {
    expect(() => sidecarOptions('drop/roster.csv', '{nope')).toThrow(
      expect.objectContaining({ code: 'invalid_sidecar', message: 'drop/roster.csv.json is not valid JSON' }),
    );
    expect(() => sidecarOptions('drop/roster.csv', JSON.stringify({ colour: 'blue' }))).toThrow(
      expect.objectContaining({
        code: 'invalid_batch_options',
        message: expect.stringMatching(/^drop\/roster\.csv\.json: options: .*colour/),
      }),
    );
  });
});
