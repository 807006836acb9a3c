import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3RestClient } from './s3/rest-client';
import { s3SettingsFrom } from './s3/settings';

/**
 * SDK clients, built once per process. In Lambda, X-Ray traces them through the runtime: each request carries the
 * invocation's trace header (the SDK's recursion-detection middleware), so calls that start another function
 * join its trace (docs/ARCHITECTURE.md §6). Endpoints come from the standard
 * `AWS_ENDPOINT_URL_*` variables, so the same code runs against AWS and against the embedded stack's emulators.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let secretsClient: SecretsManagerClient | undefined;
let s3Client: S3RestClient | undefined;
let sqsClient: SQSClient | undefined;

export function documents(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function secrets(): SecretsManagerClient {
  secretsClient ??= new SecretsManagerClient({});
  return secretsClient;
}

/**
 * S3's REST API through the SDK's signer and HTTP handler, rather than the S3 client (docs/ARCHITECTURE.md §6);
 * path-style addressing works with AWS and with the embedded stack's emulator alike.
 */
export function s3(): S3RestClient {
  s3Client ??= new S3RestClient(s3SettingsFrom(process.env));
  return s3Client;
}

/** Queue URLs are used as given, never as endpoints: the emulator's do not resolve. */
export function sqs(): SQSClient {
  sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqsClient;
}
