import type { MailContent, MailKind, MailMessage } from '../domain/delivery';

/** The mail queue (docs/SPEC.md §4.8): each message one e-mail to one invitation's recipient. */
export interface MailQueue {
  send(messages: readonly MailMessage[]): Promise<void>;
  /** Keeps a received message out of sight for `seconds`: when its next attempt comes round. */
  retryAfter(receiptHandle: string, seconds: number): Promise<void>;
}

/** One e-mail to send, tagged with the invitation it is for (the mail service reports back by that tag). */
export interface OutgoingMail extends MailContent {
  to: string;
  invitationId: string;
}

/** Why a mail was not sent: `permanent` when sending it again cannot help (the service refused the message). */
export class MailRefused extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailRefused';
  }
}

/** Hands a mail to the mail service (SES, or SMTP in the embedded stack): its id there, or MailRefused. */
export type MailSender = (mail: OutgoingMail) => Promise<{ messageId: string }>;

/** The template of a kind of message, as the administrator left it (docs/SPEC.md §4.8). */
export type MailTemplates = (kind: MailKind) => Promise<string>;
