import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import { dispatchAuditEvents } from '../usecases/events/dispatch-audit-events';
import { appendedRecords, readableEvents } from './audit-stream';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/**
 * The audit table's stream, for webhooks and e-mail (docs/SPEC.md §4.8): each new event is queued for every endpoint
 * subscribed to its action, and the e-mail an event asks for is queued (`dispatchAuditEvents`). Records that cannot
 * be read are logged and passed over (the audit publisher reports them too); when queueing fails, the batch is
 * answered as failed from its first record, so the stream hands it over again: at least once.
 */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = appendedRecords(event);
  const unreadable = appended.filter(({ event }) => event instanceof Error);
  if (unreadable.length > 0) {
    logger.error('Audit stream records not readable: no webhook delivery or e-mail for them', {
      records: unreadable.slice(0, 10).map(({ sequenceNumber, event }) => ({
        sequenceNumber,
        reason: (event as Error).message,
      })),
    });
  }
  try {
    const queued = await dispatchAuditEvents(defaultDeps(), readableEvents(appended));
    if (queued.webhookDeliveries + queued.mails > 0) logger.info('Webhook deliveries and e-mails queued', queued);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('Webhook deliveries or e-mails not queued: the stream hands the batch over again', {
      error: error as Error,
    });
    const [first] = appended;
    return { batchItemFailures: first ? [{ itemIdentifier: first.sequenceNumber }] : [] };
  }
});
