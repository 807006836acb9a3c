import { createTransport } from 'nodemailer';
import { MailRefused, type MailSender, type OutgoingMail } from '../ports/mail';

/** The header that names the invitation a message is for, as SES's tag does. */
export const INVITATION_HEADER = 'X-Prism-Invitation';

/** An SMTP server's answer: 5xx refuses for good, 4xx (and no answer) for now. */
const isPermanent = (error: { responseCode?: number }): boolean =>
  typeof error.responseCode === 'number' && error.responseCode >= 500;

/**
 * Sends mail by SMTP with nodemailer, to the server `url` names (`smtp://127.0.0.1:1025`): the embedded stack's mail
 * catcher. Plain text, from `from`, each message carrying its invitation's id in INVITATION_HEADER. Connections are
 * pooled: a batch's thousands of messages do not each open one.
 */
export function smtpSender(url: string, from: string): MailSender {
  const transport = createTransport({ url, pool: true });
  return async (mail: OutgoingMail) => {
    try {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { [INVITATION_HEADER]: mail.invitationId },
      });
      return { messageId: String(info.messageId) };
    } catch (error) {
      const failure = error as Error & { responseCode?: number };
      throw new MailRefused(`SMTP: ${failure.message}`, isPermanent(failure));
    }
  };
}
