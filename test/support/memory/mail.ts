import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MailKind, MailMessage } from '../../../lambdas/domain/delivery';
import { MailRefused, type MailSender, type MailQueue, type OutgoingMail } from '../../../lambdas/ports/mail';
import { projectRoot } from '../../../local/stack/paths';
import { MemoryRetryQueue } from './webhooks';

export class MemoryMailQueue extends MemoryRetryQueue<MailMessage> implements MailQueue {}

/** A mail sender that records every message and fails as the test says (`refuse`): the next sends throw that. */
export function recordingMailSender() {
  const sent: OutgoingMail[] = [];
  const refusals: MailRefused[] = [];
  let next = 0;
  const send: MailSender = async (mail) => {
    await Promise.resolve();
    const refusal = refusals.shift();
    if (refusal) throw refusal;
    sent.push(structuredClone(mail));
    return { messageId: `message-${++next}` };
  };
  return Object.assign(send, { sent, refuse: (...errors: MailRefused[]) => refusals.push(...errors) });
}

/** The project's own templates, as the embedded stack reads them. */
export const projectTemplates = (kind: MailKind): Promise<string> =>
  Promise.resolve(readFileSync(join(projectRoot(), 'templates', `${kind}.txt`), 'utf8'));
