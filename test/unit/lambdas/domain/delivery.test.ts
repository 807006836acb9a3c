import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptCommand,
  parseTemplate,
  renderMail,
  templateValues,
  unsendable,
  type MailMessage,
} from '../../../../lambdas/domain/delivery';
import { maskAddresses } from '../../../../lambdas/domain/email';
import { projectRoot } from '../../../../local/stack/paths';
import { NOW, invitation } from '../../../support/invitations';

const message: MailMessage = { invitationId: 'inv1', kind: 'invitation', tokenGeneration: 1 };
const template = (kind: string) => readFileSync(join(projectRoot(), 'templates', `${kind}.txt`), 'utf8');

describe('the accept command in a message', () => {
  test.each([
    ["O'Brien; rm -rf ~", 'a quote and a command'],
    ['$(touch /tmp/owned) `id`', 'substitutions'],
    ['inv-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'a token-shaped name'],
    ['line\nbreak', 'a line break'],
  ])('a shell reads %j back exactly (%s)', (name) => {
    const command = acceptCommand('eyJ0b2tlbiI6Imludi1hIn0', name);
    const words = execFileSync('sh', ['-c', `set -- ${command.replace(/^prism /, '')}; printf '%s\\0' "$@"`])
      .toString()
      .split('\0')
      .slice(0, -1);
    expect(words).toEqual(['profiles', 'accept-invitation', '--encoded', 'eyJ0b2tlbiI6Imludi1hIn0', '--name', name]);
  });
});

describe('mail templates', () => {
  test("the project's templates parse, and fill every field they name", () => {
    for (const kind of ['invitation', 'reminder']) {
      const parsed = parseTemplate(template(kind), `${kind}.txt`);
      const mail = renderMail(parsed, templateValues(invitation({ name: 'Ada' }), 'ENCODED', NOW));
      expect(mail.text).toContain('ENCODED');
      expect(mail.text).toContain("prism profiles accept-invitation --encoded 'ENCODED' --name 'Ada'");
      expect(`${mail.subject}\n${mail.text}`).not.toMatch(/\{\{|\}\}/);
    }
  });

  test("the invitation message says what the seeds' notification script says", () => {
    const mail = renderMail(
      parseTemplate(template('invitation'), 'invitation.txt'),
      templateValues(invitation({ name: 'Ada Lovelace', validDays: 30 }), 'ENC', NOW),
    );
    expect(mail.subject).toBe('Prism Invitation');
    expect(mail.text).toContain('Hello Ada Lovelace,');
    expect(mail.text).toContain('You have been invited to Prism.');
    expect(mail.text).toContain('This invitation will expire in 30 days');
  });

  test.each([
    ['Hello\n\nbody', 'the first line must be "Subject: …"'],
    ['Subject: x\nbody', 'a blank line must follow the subject'],
    ['Subject: x\n\n{{token}}', 'unknown field {{token}}'],
  ])('a broken template is refused, naming the file: %j', (text, reason) => {
    expect(() => parseTemplate(text, 'invitation.txt')).toThrow(`invitation.txt: ${reason}`);
  });

  test('a value cannot break the subject onto a second line (no header injection)', () => {
    const mail = renderMail(parseTemplate('Subject: For {{name}}\n\nx', 't'), {
      ...templateValues(invitation(), 'E', NOW),
      name: 'Ada\r\nBcc: victim@example.org',
    });
    expect(mail.subject).toBe('For Ada Bcc: victim@example.org');
  });
});

describe('what stops a queued message', () => {
  const usable = invitation({ email: 'ada@example.org', tokenGeneration: 1 });
  test.each([
    [{ email: undefined }, 'the invitation has no e-mail address'],
    [{ tokenGeneration: 2 }, 'the invitation was rotated after it was queued'],
    [{ status: 'revoked' as const }, 'the invitation was revoked'],
    [{ status: 'suspended' as const }, 'the invitation is suspended'],
    [{ expiresAt: '2026-11-21T07:59:59Z' }, 'the invitation has expired'],
  ])('%j: %s', (change, reason) => {
    expect(unsendable({ ...usable, ...change }, message, NOW)).toBe(reason);
  });

  test('nothing stops a usable one', () => {
    expect(unsendable(usable, message, NOW)).toBeUndefined();
  });
});

test('addresses in a mail service error are masked', () => {
  expect(maskAddresses('Email address is not verified: Ada.L+x@example.org (us-east-1)')).toBe(
    'Email address is not verified: [address] (us-east-1)',
  );
});
