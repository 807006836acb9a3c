import type { S3Event } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../emulators/local-aws';
import type { CreatedObject } from './s3-requests';

const percentEncoded = (character: string) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`;

/**
 * A key as S3 event notifications carry it: form-URL-encoded (a space is `+`, `!'()~` are percent-encoded
 * too), with `/` left as it is. Handlers decode it with `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export const notificationKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()~]/g, percentEncoded)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');

/** The `s3:ObjectCreated:*` event S3 sends a function subscribed (through `configurationId`) to the bucket. */
export function objectCreatedEvent(created: CreatedObject, configurationId: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: created.time.toISOString(),
        eventName: `ObjectCreated:${created.operation}`,
        userIdentity: { principalId: created.accessKey ? `AWS:${created.accessKey}` : 'Anonymous' },
        requestParameters: { sourceIPAddress: created.sourceIp },
        responseElements: { 'x-amz-request-id': created.requestId, 'x-amz-id-2': created.hostId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: {
            name: created.bucket,
            ownerIdentity: { principalId: LOCAL_ACCOUNT_ID },
            arn: `arn:aws:s3:::${created.bucket}`,
          },
          object: {
            key: notificationKey(created.key),
            size: created.size,
            eTag: created.eTag,
            sequencer: created.sequencer,
          },
        },
      },
    ],
  };
}
