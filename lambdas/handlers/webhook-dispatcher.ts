import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import { dispatchWebhookEvents } from '../usecases/webhooks/dispatch';
import { appendedRecords, readableEvents } from './audit-stream';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/**
 * The audit table's stream, for webhooks (docs/SPEC.md §4.8): each new event is queued for every endpoint
 * subscribed to its action (`dispatchWebhookEvents`). Records that cannot be read are logged and passed over (the
 * audit publisher reports them too); when queueing fails, the batch is answered as failed from its first record, so
 * the stream hands it over again: deliveries are at least once.
 */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const appended = appendedRecords(event);
  const unreadable = appended.filter(({ event }) => event instanceof Error);
  if (unreadable.length > 0) {
    logger.error('Audit stream records not readable: no webhook delivery for them', {
      records: unreadable.slice(0, 10).map(({ sequenceNumber, event }) => ({
        sequenceNumber,
        reason: (event as Error).message,
      })),
    });
  }
  try {
    const queued = await dispatchWebhookEvents(defaultDeps(), readableEvents(appended));
    if (queued > 0) logger.info('Webhook deliveries queued', { queued });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('Webhook deliveries not queued: the stream hands the batch over again', { error: error as Error });
    const [first] = appended;
    return { batchItemFailures: first ? [{ itemIdentifier: first.sequenceNumber }] : [] };
  }
});
