import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/** An expected wait, not a fault: the message is retried, and the log says so without a stack trace. */
export class RetryLater extends Error {}

/**
 * Runs `handle` for every message of an SQS event and reports the ones that failed
 * (`ReportBatchItemFailures`), so one bad message never sends its neighbours round again.
 */
export function sqsBatchHandler<Message>(handle: (message: Message, record: SQSRecord) => Promise<void>) {
  return lambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handle(JSON.parse(record.body) as Message, record);
      } catch (error) {
        if (error instanceof RetryLater)
          logger.info('Message deferred', { messageId: record.messageId, reason: error.message });
        else logger.error('Message failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  });
}
