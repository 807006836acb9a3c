import type { JsonService } from './json-client';
import type { AwsService } from './settings';

/** The services the functions reach, as their requests name them: S3 by its REST API, the others by JSON. */
export const S3: AwsService = { signingName: 's3', endpointId: 'S3', host: 's3' };

export const DYNAMODB: JsonService = {
  signingName: 'dynamodb',
  endpointId: 'DYNAMODB',
  host: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
};

export const SQS: JsonService = {
  signingName: 'sqs',
  endpointId: 'SQS',
  host: 'sqs',
  targetPrefix: 'AmazonSQS',
  jsonVersion: '1.0',
};

export const EVENTBRIDGE: JsonService = {
  signingName: 'events',
  endpointId: 'EVENTBRIDGE',
  host: 'events',
  targetPrefix: 'AWSEvents',
  jsonVersion: '1.1',
};

export const SECRETS_MANAGER: JsonService = {
  signingName: 'secretsmanager',
  endpointId: 'SECRETS_MANAGER',
  host: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  jsonVersion: '1.1',
};

/** SES's v2 API, a REST API of JSON documents (`lambdas/adapters/ses-sender.ts`). */
export const SESV2: AwsService = { signingName: 'ses', endpointId: 'SESV2', host: 'email' };
