import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { auditEventOfImage, defaultDeps } from '../adapters/composition';
import type { AuditEvent } from '../domain/audit';
import { publishAuditEvents } from '../usecases/events/publish-audit-events';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/** A stream record's sequence number, what a batch item failure names it by. */
const sequenceNumberOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

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

/**
 * The audit table's stream (docs/SPEC.md §4.8): every event appended goes out on the event bus
 * (`publishAuditEvents`). The records of events not published, or that could not be read, are answered as batch
 * item failures, so the stream hands them (and those after them) over again: publishing is at least once. Only
 * `INSERT` records are sent here; any other is passed over.
 */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = event.Records.filter((record) => record.eventName === 'INSERT').map((record) => ({
    sequenceNumber: sequenceNumberOf(record),
    event: appendedEvent(record),
  }));
  const events = appended.flatMap(({ event }) => (event instanceof Error ? [] : [event]));
  const { published, unpublished } = await publishAuditEvents(defaultDeps(), events);

  const reasons = new Map(unpublished.map(({ eventId, reason }) => [eventId, reason]));
  const failures = appended.flatMap(({ sequenceNumber, event }) => {
    const reason = event instanceof Error ? `unreadable: ${event.message}` : reasons.get(event.eventId);
    return reason === undefined ? [] : [{ sequenceNumber, reason }];
  });
  countMetric('AuditEventsPublished', {}, published);
  countMetric('AuditEventsUnpublished', {}, failures.length);
  if (failures.length > 0) {
    logger.error('Audit events not published: the stream hands them over again', {
      published,
      failed: failures.length,
      failures: failures.slice(0, 10),
    });
  }
  return { batchItemFailures: failures.map(({ sequenceNumber }) => ({ itemIdentifier: sequenceNumber })) };
});
