import { s3SettingsFrom } from '../../../../../lambdas/adapters/s3/settings';

describe('where the S3 adapter sends', () => {
  test('to AWS_ENDPOINT_URL_S3 first, then AWS_ENDPOINT_URL, as the SDK clients do', () => {
    const both = {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL: 'http://other',
    };
    expect(s3SettingsFrom(both)).toMatchObject({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' });
    expect(s3SettingsFrom({ ...both, AWS_ENDPOINT_URL_S3: '' }).endpoint).toBe('http://other');
  });

  test("to S3's own endpoint in the region otherwise", () => {
    expect(s3SettingsFrom({ AWS_REGION: 'eu-central-1' }).endpoint).toBe('https://s3.eu-central-1.amazonaws.com');
  });

  test('a missing region or an endpoint that is no URL is named', () => {
    expect(() => s3SettingsFrom({})).toThrow('AWS_REGION is not set');
    expect(() => s3SettingsFrom({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: 'localhost:4566/' })).toThrow(
      'AWS_ENDPOINT_URL_S3 is not an http(s) URL: localhost:4566/',
    );
  });
});
