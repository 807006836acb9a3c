import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import { publishAuditEvents } from '../usecases/events/publish-audit-events';
import { appendedRecords, readableEvents } from './audit-stream';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/**
 * The audit table's stream (docs/SPEC.md §4.8): every event appended goes out on the event bus
 * (`publishAuditEvents`). The records of events not published, or that could not be read, are answered as batch
 * item failures, so the stream hands them (and those after them) over again: publishing is at least once. Only
 * `INSERT` records are sent here; any other is passed over.
 */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = appendedRecords(event);
  const { published, unpublished } = await publishAuditEvents(defaultDeps(), readableEvents(appended));

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
