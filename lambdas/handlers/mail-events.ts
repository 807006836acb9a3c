import type { EventBridgeEvent } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import { SES_EVENTS, SES_INVITATION_TAG } from '../config';
import { type MailReport, recordMailReport } from '../usecases/mail/send';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';
import { countMetric } from './metrics';

/** The parts of an SES event (an EventBridge event destination's) the registry reads. */
interface SesEventDetail {
  mail?: { messageId?: string; timestamp?: string; tags?: Record<string, string[] | undefined> };
  bounce?: { bounceType?: string; bounceSubType?: string; timestamp?: string };
  complaint?: { complaintFeedbackType?: string; timestamp?: string };
  delivery?: { timestamp?: string };
  reject?: { reason?: string };
  failure?: { errorMessage?: string };
}

type DetailType = keyof typeof SES_EVENTS.statusByDetailType;

/** The report an SES event makes on an invitation's mail, or undefined when it is not about one of them. */
export function reportOf(event: EventBridgeEvent<string, SesEventDetail>): MailReport | undefined {
  const status = SES_EVENTS.statusByDetailType[event['detail-type'] as DetailType];
  const { mail, bounce, complaint, delivery, reject, failure } = event.detail ?? {};
  const invitationId = mail?.tags?.[SES_INVITATION_TAG]?.[0];
  if (!status || !invitationId || !mail?.messageId) return undefined;
  const error =
    (bounce && [bounce.bounceType, bounce.bounceSubType].filter(Boolean).join(': ')) ||
    complaint?.complaintFeedbackType ||
    reject?.reason ||
    failure?.errorMessage;
  return {
    invitationId,
    messageId: mail.messageId,
    status,
    at: bounce?.timestamp ?? complaint?.timestamp ?? delivery?.timestamp ?? event.time,
    ...(error && { error }),
  };
}

/**
 * SES's reports on the registry's mail (docs/SPEC.md §4.8): a delivery, a bounce, a complaint or a refusal sets the
 * delivery status of the invitation the message was tagged with. Other events, and reports on an earlier message of
 * the same invitation, change nothing. Logged by invitation id and status, never by address.
 */
export const handler = lambdaHandler(async (event: EventBridgeEvent<string, SesEventDetail>): Promise<void> => {
  const report = reportOf(event);
  if (!report) {
    logger.info('SES event not about an invitation e-mail', { detailType: event['detail-type'] });
    return;
  }
  const recorded = await recordMailReport(defaultDeps(), report);
  if (recorded) countMetric('MailReports', { status: report.status });
  logger.info('SES report on an invitation e-mail', {
    invitationId: report.invitationId,
    status: report.status,
    recorded,
  });
});
