import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import type { DeliveryMessage } from '../domain/webhook';
import { deliverWebhook } from '../usecases/webhooks/deliver';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/**
 * One attempt at each queued webhook delivery (docs/SPEC.md §4.8), side by side. A delivered or dropped one is
 * done; a failed one is kept out of sight until its retry schedule's next step and answered as a batch item failure,
 * so the queue hands it over again then; after its last attempt it is answered failed at once, and the queue's
 * redrive moves it to the dead-letter queue. The attempt's number is the queue's receive count.
 */
export const handler = lambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const deps = defaultDeps();
  const failures: string[] = [];
  const attempt = async (record: SQSRecord) => {
    try {
      const message = JSON.parse(record.body) as DeliveryMessage;
      const result = await deliverWebhook(deps, message, Number(record.attributes.ApproximateReceiveCount) || 1);
      if (result.outcome === 'dropped') return;
      countMetric('WebhookDeliveries', { outcome: result.outcome === 'delivered' ? 'delivered' : 'failed' });
      if (result.outcome === 'delivered') return;
      await deps.deliveries.retryAfter(
        record.receiptHandle,
        result.outcome === 'failed' ? result.retryAfterSeconds : 0,
      );
      failures.push(record.messageId);
    } catch (error) {
      logger.error('Webhook delivery could not be attempted', { messageId: record.messageId, error: error as Error });
      failures.push(record.messageId);
    }
  };
  await Promise.all(event.Records.map(attempt));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
});
