import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { auditEventOfImage } from '../adapters/composition';
import type { AuditEvent } from '../domain/audit';

/** An audit event a stream record appended, or why it cannot be read, with the record's sequence number. */
export interface AppendedRecord {
  /** What a batch item failure names the record by. */
  sequenceNumber: string;
  event: AuditEvent | Error;
}

/** The audit event a record appended, or why it cannot be read. */
function appendedEvent(record: DynamoDBRecord): AuditEvent | Error {
  const image = record.dynamodb?.NewImage;
  if (!image) return new Error('the record carries no new image');
  try {
    return auditEventOfImage(image as Record<string, AttributeValue>);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The audit table stream's `INSERT` records of an event (any other is passed over), each read back into its event. */
export const appendedRecords = (event: DynamoDBStreamEvent): AppendedRecord[] =>
  event.Records.filter((record) => record.eventName === 'INSERT').map((record) => ({
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    event: appendedEvent(record),
  }));

/** The events of the records that could be read. */
export const readableEvents = (records: readonly AppendedRecord[]): AuditEvent[] =>
  records.flatMap(({ event }) => (event instanceof Error ? [] : [event]));
