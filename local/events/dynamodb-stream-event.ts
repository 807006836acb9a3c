import type { AttributeValue, _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../emulators/local-aws';

type LambdaImage = NonNullable<StreamRecord['NewImage']>;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * An attribute value as Lambda hands it over: binary values in base64, the rest as the stream reads them. DynamoDB
 * Local's stream writes an empty map as `{}` (AWS writes `{"M":{}}`, and an empty list stays `{"L":[]}`): it is put
 * back as the map it is.
 */
function lambdaValue(value: AttributeValue): unknown {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  return value;
}

const lambdaImage = (image: Record<string, AttributeValue>): LambdaImage =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaValue(value)])) as LambdaImage;

/** A stream record as Lambda's DynamoDB event source hands it to a function (creation time in epoch seconds). */
function lambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, Keys, NewImage, OldImage, ...rest } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_REGION,
    dynamodb: {
      ...(ApproximateCreationDateTime && {
        ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000),
      }),
      ...(Keys && { Keys: lambdaImage(Keys) }),
      ...(NewImage && { NewImage: lambdaImage(NewImage) }),
      ...(OldImage && { OldImage: lambdaImage(OldImage) }),
      ...rest,
    },
    eventSourceARN: streamArn,
  };
}

/** The event Lambda's DynamoDB event source builds from stream records. */
export const dynamoDbStreamEvent = (records: readonly _Record[], streamArn: string): DynamoDBStreamEvent => ({
  Records: records.map((record) => lambdaRecord(record, streamArn)),
});
