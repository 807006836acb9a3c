import { text } from 'node:stream/consumers';
import { MailRefused, type MailSender, type OutgoingMail } from '../ports/mail';
import { SES_INVITATION_TAG } from '../config';
import { AwsError } from './aws/errors';
import { jsonErrorOf } from './aws/json-client';
import { SESV2 } from './aws/services';
import { awsSettingsFrom } from './aws/settings';
import { AwsTransport } from './aws/transport';

/** SES errors that sending the same message again cannot cure; any other is tried again on the retry schedule. */
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'AccountSuspendedException',
]);

export interface SesSettings {
  from: string;
  configurationSet?: string;
}

/**
 * Sends mail through SES's v2 API (`SendEmail`, a simple text message), from the configured identity and through
 * the configuration set whose events report on it; each message tagged with its invitation's id, by which those
 * events find it. Spoken over the shared transport (signer, HTTP handler and retries of the SDK), like every
 * other AWS service here.
 */
export function sesSender({ from, configurationSet }: SesSettings): MailSender {
  let transport: AwsTransport | undefined;
  return async (mail: OutgoingMail) => {
    transport ??= new AwsTransport(SESV2, awsSettingsFrom(process.env, SESV2));
    const body = JSON.stringify({
      FromEmailAddress: from,
      Destination: { ToAddresses: [mail.to] },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [{ Name: SES_INVITATION_TAG, Value: mail.invitationId }],
      ...(configurationSet && { ConfigurationSetName: configurationSet }),
    });
    const exchange = transport;
    try {
      const output = await exchange.attempts({ service: 'sesv2', operation: 'SendEmail', body }, async () => {
        const answer = await exchange.exchange({
          method: 'POST',
          path: '/v2/email/outbound-emails',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answered = await text(answer.body);
        if (answer.status < 200 || answer.status > 299) throw jsonErrorOf(answer, answered);
        return JSON.parse(answered) as { MessageId?: string };
      });
      if (!output.MessageId) throw new MailRefused('SES answered SendEmail without a message id', false);
      return { messageId: output.MessageId };
    } catch (error) {
      if (error instanceof AwsError)
        throw new MailRefused(`SES: ${error.name}: ${error.message}`, PERMANENT.has(error.name));
      throw error;
    }
  };
}
