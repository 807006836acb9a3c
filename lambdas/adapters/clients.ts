import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients, built once per process. In Lambda, X-Ray traces them through the runtime: each request carries the
 * invocation's trace header (the SDK's recursion-detection middleware), so calls that start another function
 * join its trace (docs/ARCHITECTURE.md §6). Endpoints come from the standard
 * `AWS_ENDPOINT_URL_*` variables, so the same code runs against AWS and against the embedded stack's emulators.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let secretsClient: SecretsManagerClient | undefined;
let s3Client: S3Client | undefined;
let presigningClient: S3Client | undefined;
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

/** Path-style addressing works with AWS and with the embedded stack's emulator alike. */
export function s3(): S3Client {
  s3Client ??= new S3Client({ forcePathStyle: true });
  return s3Client;
}

/**
 * Signs the URLs handed to others; it makes no calls. Its URLs carry no checksum setting:
 * by the SDK's default an upload URL would carry the checksum of the empty body it was signed with, which no
 * real file matches, and a download URL a checksum mode the downloader never asked for.
 */
export function presigningS3(): S3Client {
  presigningClient ??= new S3Client({
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return presigningClient;
}

/** Queue URLs are used as given, never as endpoints: the emulator's do not resolve. */
export function sqs(): SQSClient {
  sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqsClient;
}
