import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import type { MailMessage } from '../domain/delivery';
import { sendQueuedMail } from '../usecases/mail/send';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/**
 * One attempt at each queued e-mail (docs/SPEC.md §4.8), in turn. A sent, dropped or failed one is done; one to
 * try again is kept out of sight until its retry schedule's next step (one another mailer holds, until that claim
 * would be stale) and answered as a batch item failure, so the queue hands it over again then. The attempt's number
 * is the queue's receive count. Nothing logged names the recipient: the invitation id alone.
 */
export const handler = lambdaHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const deps = defaultDeps();
  const failures: string[] = [];
  const attempt = async (record: SQSRecord) => {
    let invitationId: string | undefined;
    try {
      const message = JSON.parse(record.body) as MailMessage;
      invitationId = message.invitationId;
      const result = await sendQueuedMail(deps, message, Number(record.attributes.ApproximateReceiveCount) || 1);
      if (result.outcome === 'dropped') return;
      if (result.outcome !== 'held')
        countMetric('MailDeliveries', { outcome: result.outcome === 'sent' ? 'sent' : 'failed' });
      if (result.outcome === 'sent' || result.outcome === 'failed') return;
      if (result.outcome === 'retry')
        logger.warn('E-mail not sent; it will be tried again', { invitationId, error: result.error });
      await deps.mail.retryAfter(record.receiptHandle, result.retryAfterSeconds);
      failures.push(record.messageId);
    } catch (error) {
      logger.error('E-mail could not be attempted', {
        messageId: record.messageId,
        invitationId,
        error: error as Error,
      });
      failures.push(record.messageId);
    }
  };
  // One after another: e-mail is background work, which must not take the capacity a batch's rows need.
  for (const record of event.Records) await attempt(record);
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
});
