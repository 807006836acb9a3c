import { DynamoDocuments } from './aws/documents';
import { AwsJsonClient, type JsonService } from './aws/json-client';
import { DYNAMODB, EVENTBRIDGE, S3, SECRETS_MANAGER, SQS } from './aws/services';
import { awsSettingsFrom } from './aws/settings';
import { S3RestClient } from './s3/rest-client';

/**
 * The AWS clients, each built when first used, then kept for the process: S3's REST API and the other services'
 * JSON protocol, all through the SDK's signer, HTTP handler and retry strategy rather than the SDK's clients
 * (docs/ARCHITECTURE.md §6). In Lambda each request carries the invocation's trace header, so calls that start
 * another function join its trace. Endpoints come from the standard `AWS_ENDPOINT_URL_*` variables, so the same
 * code runs against AWS and against the embedded stack's emulators.
 */
let documentClient: DynamoDocuments | undefined;
let secretsClient: AwsJsonClient | undefined;
let s3Client: S3RestClient | undefined;
let sqsClient: AwsJsonClient | undefined;
let eventsClient: AwsJsonClient | undefined;

const jsonClient = (service: JsonService) => new AwsJsonClient(service, awsSettingsFrom(process.env, service));

/** DynamoDB's item operations in plain values, as the SDK's document client gives them. */
export function documents(): DynamoDocuments {
  documentClient ??= new DynamoDocuments(jsonClient(DYNAMODB));
  return documentClient;
}

export function secrets(): AwsJsonClient {
  secretsClient ??= jsonClient(SECRETS_MANAGER);
  return secretsClient;
}

/** Path-style addressing works with AWS and with the embedded stack's emulator alike. */
export function s3(): S3RestClient {
  s3Client ??= new S3RestClient(awsSettingsFrom(process.env, S3));
  return s3Client;
}

/** Requests go to SQS's endpoint, the queue URL in their body: the emulator's queue URLs do not resolve. */
export function sqs(): AwsJsonClient {
  sqsClient ??= jsonClient(SQS);
  return sqsClient;
}

export function events(): AwsJsonClient {
  eventsClient ??= jsonClient(EVENTBRIDGE);
  return eventsClient;
}
