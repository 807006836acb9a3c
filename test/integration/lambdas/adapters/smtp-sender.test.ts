import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVITATION_HEADER, smtpSender } from '../../../../lambdas/adapters/smtp-sender';
import { startMailCatcher, type MailCatcher } from '../../../../local/emulators/mail-catcher';
import { MailRefused, type OutgoingMail } from '../../../../lambdas/ports/mail';
import { freePort } from '../../../../local/stack/ports';

/**
 * The SMTP sender against the embedded stack's mail catcher (maildev, on ports the OS picks): what it sends is
 * caught as the recipient would read it, kept across the catcher's restarts, and a catcher that does not answer
 * is a refusal for now, not for good.
 */
const STARTUP_MS = 60_000;
const FROM = 'prism-registry@localhost';

let folder: string;
let catcher: MailCatcher;

const start = () => startMailCatcher({ smtpPort: 0, webPort: 0, mailDirectory: join(folder, 'mail') });

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'prism-mail-catcher-'));
  catcher = await start();
}, STARTUP_MS);

afterAll(async () => {
  await catcher?.stop();
  rmSync(folder, { recursive: true, force: true });
});

interface CaughtMail {
  id: string;
  subject: string;
  from: { address: string }[];
  to: { address: string }[];
  headers: Record<string, string>;
  text: string;
}

const inbox = async (): Promise<CaughtMail[]> =>
  (await (await fetch(`${catcher.webUrl}/api/email`)).json()) as CaughtMail[];

const mail = (to: string): OutgoingMail => ({
  to,
  invitationId: '01JINVITATION0000000000000',
  subject: 'Prism Invitation',
  text: 'Hello Ada,\n\nYour invitation code is:\neyJ0b2tlbiI6ImludiJ9\n',
});

test('a message reaches the catcher as sent: sender, recipient, subject, text and the invitation header', async () => {
  const { messageId } = await smtpSender(catcher.smtpUrl, FROM)(mail('ada@lab.example'));
  expect(messageId).toMatch(/^<.+@localhost>$/);
  const [caught] = (await inbox()).filter(({ to }) => to[0]?.address === 'ada@lab.example');
  expect(caught).toMatchObject({
    subject: 'Prism Invitation',
    from: [{ address: FROM }],
    to: [{ address: 'ada@lab.example' }],
    text: mail('ada@lab.example').text,
    headers: { [INVITATION_HEADER.toLowerCase()]: '01JINVITATION0000000000000', 'message-id': messageId },
  });
});

test(
  'the caught mail survives a restart of the catcher',
  async () => {
    await smtpSender(catcher.smtpUrl, FROM)(mail('grace@lab.example'));
    const before = (await inbox()).map(({ id }) => id).sort();
    await catcher.stop();
    catcher = await start();
    expect((await inbox()).map(({ id }) => id).sort()).toEqual(before);
  },
  STARTUP_MS,
);

test('no SMTP server listening is a refusal that a later attempt may cure', async () => {
  const send = smtpSender(`smtp://127.0.0.1:${await freePort()}`, FROM)(mail('ada@lab.example'));
  await expect(send).rejects.toBeInstanceOf(MailRefused);
  await expect(send).rejects.toMatchObject({ permanent: false, message: expect.stringMatching(/^SMTP: /) });
});
