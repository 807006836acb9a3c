import { DYNAMODB, S3, SECRETS_MANAGER } from '../../../../../lambdas/adapters/aws/services';
import { awsSettingsFrom } from '../../../../../lambdas/adapters/aws/settings';

describe('where the AWS adapters send', () => {
  test("to the service's AWS_ENDPOINT_URL_<SERVICE> first, then AWS_ENDPOINT_URL, as the SDK clients do", () => {
    const both = {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL: 'http://other',
    };
    expect(awsSettingsFrom(both, S3)).toMatchObject({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' });
    expect(awsSettingsFrom(both, SECRETS_MANAGER).endpoint).toBe('http://127.0.0.1:4567');
    expect(awsSettingsFrom(both, DYNAMODB).endpoint).toBe('http://other');
    expect(awsSettingsFrom({ ...both, AWS_ENDPOINT_URL_S3: '' }, S3).endpoint).toBe('http://other');
  });

  test("to the service's own endpoint in the region otherwise", () => {
    expect(awsSettingsFrom({ AWS_REGION: 'eu-central-1' }, S3).endpoint).toBe('https://s3.eu-central-1.amazonaws.com');
    expect(awsSettingsFrom({ AWS_REGION: 'us-east-1' }, DYNAMODB).endpoint).toBe(
      'https://dynamodb.us-east-1.amazonaws.com',
    );
    expect(awsSettingsFrom({ AWS_REGION: 'cn-north-1' }, SECRETS_MANAGER).endpoint).toBe(
      'https://secretsmanager.cn-north-1.amazonaws.com.cn',
    );
  });

  test('one credential provider serves every service', () => {
    const env = { AWS_REGION: 'eu-west-1' };
    expect(awsSettingsFrom(env, S3).credentials).toBe(awsSettingsFrom(env, DYNAMODB).credentials);
  });

  test('a missing region or an endpoint that is no URL is named', () => {
    expect(() => awsSettingsFrom({}, S3)).toThrow('AWS_REGION is not set');
    expect(() => awsSettingsFrom({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_S3: 'localhost:4566/' }, S3)).toThrow(
      'AWS_ENDPOINT_URL_S3 is not an http(s) URL: localhost:4566/',
    );
  });
});
