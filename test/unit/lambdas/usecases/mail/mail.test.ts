import { mailMessageOfEvent } from '../../../../../lambdas/domain/delivery';
import { decodeInvitation } from '../../../../../lambdas/domain/encoding';
import { dispatchAuditEvents } from '../../../../../lambdas/usecases/events/dispatch-audit-events';
import { MailRefused } from '../../../../../lambdas/ports/mail';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeInvitation, rotateInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { invitationForToken } from '../../../../../lambdas/usecases/lookup';
import { sendInvitation } from '../../../../../lambdas/usecases/mail/resend';
import { recordMailReport, sendQueuedMail } from '../../../../../lambdas/usecases/mail/send';
import { memoryDeps, type MemoryDeps } from '../../../../support/memory/deps';
import { AS_ADMIN } from '../../../../support/origins';
import { testKeyRing } from '../../../../support/invitations';

const NOW = new Date('2026-12-04T10:00:00Z');
const ADDRESS = 'ada.lovelace@example.org';

async function created(deps: MemoryDeps, deliver = true, email = ADDRESS) {
  const { issued } = await issueInvitation(
    deps,
    { name: 'Ada Lovelace', type: 'read_only', ...(email && { email }), deliver },
    { origin: AS_ADMIN },
  );
  return issued;
}

const stored = async (deps: MemoryDeps, id: string) => (await deps.store.getInvitation(id))!.value;
/** The e-mails the audit events written so far ask for: what the stream's dispatcher queues. */
const queued = (deps: MemoryDeps) =>
  [...deps.tables.audit.values()].flatMap((event) => mailMessageOfEvent(event) ?? []);
const deliveryEvents = (deps: MemoryDeps) =>
  [...deps.tables.audit.values()].filter((event) => event.action === 'invitation.delivery');

describe('creating with deliver', () => {
  test('stores the invitation queued; its creation event queues one e-mail for its token generation', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    expect(issued.invitation.delivery).toEqual({
      status: 'queued',
      kind: 'invitation',
      at: '2026-12-04T10:00:00Z',
      tokenGeneration: 1,
    });
    expect(queued(deps)).toEqual([{ invitationId: issued.invitation.id, kind: 'invitation', tokenGeneration: 1 }]);
    expect((await stored(deps, issued.invitation.id)).delivery?.status).toBe('queued');
    // The queue is the stream's business: a create never waits on it, nor fails with it.
    expect(deps.mail.sent).toEqual([]);
  });

  test('without deliver no e-mail is asked for and the invitation has no delivery', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps, false);
    expect(queued(deps)).toEqual([]);
    expect(issued.invitation.delivery).toBeUndefined();
  });

  test('the stream dispatches the e-mail with the webhooks; a queue that is down fails the dispatch, to be retried', async () => {
    const deps = memoryDeps({ now: NOW });
    await created(deps);
    const events = [...deps.tables.audit.values()];
    expect(await dispatchAuditEvents(deps, events)).toEqual({ webhookDeliveries: 0, mails: 1 });
    expect(deps.mail.sent).toEqual(queued(deps));
    jest.spyOn(deps.mail, 'send').mockRejectedValueOnce(new Error('queue down'));
    await expect(dispatchAuditEvents(deps, events)).rejects.toThrow('queue down');
  });
});

describe('the mailer', () => {
  test('sends the encoded invitation and the accept command to the address, and records it sent', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    expect(await sendQueuedMail(deps, queued(deps)[0]!, 1)).toEqual({ outcome: 'sent' });
    const [mail] = deps.sendMail.sent;
    expect(mail!.to).toBe(ADDRESS);
    expect(mail!.invitationId).toBe(issued.invitation.id);
    expect(mail!.text).toContain(issued.encoded);
    expect(mail!.text).toContain(`--encoded '${issued.encoded}' --name 'Ada Lovelace'`);
    expect(decodeInvitation(issued.encoded, testKeyRing()).token).toBe(issued.token);
    expect((await stored(deps, issued.invitation.id)).delivery).toMatchObject({
      status: 'sent',
      messageId: 'message-1',
    });
  });

  test('the audit event of a delivery holds no address and no secret', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    await sendQueuedMail(deps, queued(deps)[0]!, 1);
    const text = JSON.stringify([...deps.tables.audit.values()]);
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(issued.token);
    expect(text).not.toContain(issued.encoded);
    expect(deliveryEvents(deps)).toEqual([
      expect.objectContaining({ targetId: issued.invitation.id, details: { kind: 'invitation', status: 'sent' } }),
    ]);
  });

  test('a message handed over twice is sent once', async () => {
    const deps = memoryDeps({ now: NOW });
    await created(deps);
    const [message] = queued(deps);
    await sendQueuedMail(deps, message!, 1);
    expect(await sendQueuedMail(deps, message!, 1)).toEqual({ outcome: 'dropped' });
    expect(deps.sendMail.sent).toHaveLength(1);
  });

  test('a claim whose mailer died holding it: the message is held until the claim is stale, then sent once', async () => {
    const clock = { now: NOW };
    const deps = memoryDeps(clock);
    const issued = await created(deps);
    const [message] = queued(deps);
    // A mailer claimed it and was killed before it sent it; the queue hands the message over again at once.
    expect(
      await deps.store.claimDelivery(issued.invitation.id, message!, '2026-12-04T10:00:00Z', '2026-12-04T09:58:00Z'),
    ).toBe(true);
    clock.now = new Date('2026-12-04T10:00:01Z');
    expect(await sendQueuedMail(deps, message!, 2)).toEqual({ outcome: 'held', retryAfterSeconds: 120 });
    expect(deps.sendMail.sent).toEqual([]);
    expect((await stored(deps, issued.invitation.id)).delivery?.status).toBe('queued');
    clock.now = new Date('2026-12-04T10:02:01Z');
    expect(await sendQueuedMail(deps, message!, 3)).toEqual({ outcome: 'sent' });
    expect(await sendQueuedMail(deps, message!, 4)).toEqual({ outcome: 'dropped' });
    expect(deps.sendMail.sent).toHaveLength(1);
  });

  test('a revocation while queued stops the message', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    await revokeInvitation(deps, issued.invitation.id, 'left', false, AS_ADMIN);
    expect(await sendQueuedMail(deps, queued(deps)[0]!, 1)).toEqual({ outcome: 'failed' });
    expect(deps.sendMail.sent).toEqual([]);
    expect((await stored(deps, issued.invitation.id)).delivery).toMatchObject({
      status: 'failed',
      error: 'the invitation was revoked',
    });
  });

  test('a rotation while queued stops the message: it would carry a dead token', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    await rotateInvitation(deps, issued.invitation.id, AS_ADMIN);
    expect(await sendQueuedMail(deps, queued(deps)[0]!, 1)).toEqual({ outcome: 'failed' });
    expect(deps.sendMail.sent).toEqual([]);
  });

  test('a passing failure is tried again on the schedule, then given up as failed', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    const [message] = queued(deps);
    deps.sendMail.refuse(new MailRefused('SMTP: connection refused', false));
    expect(await sendQueuedMail(deps, message!, 1)).toEqual({
      outcome: 'retry',
      retryAfterSeconds: 30,
      error: 'SMTP: connection refused',
    });
    expect((await stored(deps, issued.invitation.id)).delivery?.status).toBe('queued');
    deps.sendMail.refuse(new MailRefused('SMTP: connection refused to ada.lovelace@example.org', false));
    expect(await sendQueuedMail(deps, message!, 6)).toEqual({ outcome: 'failed' });
    const delivery = (await stored(deps, issued.invitation.id)).delivery!;
    expect(delivery).toMatchObject({ status: 'failed', error: expect.stringContaining('gave up after 6 attempts') });
    expect(delivery.error).not.toContain(ADDRESS);
  });

  test('a broken template fails the message, saying what is wrong, and sends nothing', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    const broken = { ...deps, mailTemplates: () => Promise.resolve('Subject: Hi\n\n{{token}}') };
    expect(await sendQueuedMail(broken, queued(deps)[0]!, 1)).toEqual({ outcome: 'failed' });
    expect(deps.sendMail.sent).toEqual([]);
    expect((await stored(deps, issued.invitation.id)).delivery).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('invitation.txt: unknown field {{token}}'),
    });
  });

  test('a refusal sending again cannot cure fails at once', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    deps.sendMail.refuse(new MailRefused('SES: MessageRejected: Email address is not verified', true));
    expect(await sendQueuedMail(deps, queued(deps)[0]!, 1)).toEqual({ outcome: 'failed' });
    expect((await stored(deps, issued.invitation.id)).delivery).toMatchObject({ status: 'failed' });
  });
});

describe('sending again (invitations send)', () => {
  test('rotates, then queues the new token generation; the old token stops working', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps);
    const sent = await sendInvitation(deps, issued.invitation.id, AS_ADMIN);
    expect(sent.tokenGeneration).toBe(2);
    expect(sent.delivery).toMatchObject({ status: 'queued', tokenGeneration: 2 });
    expect(queued(deps).at(-1)).toEqual({
      invitationId: issued.invitation.id,
      kind: 'invitation',
      tokenGeneration: 2,
    });
    expect(await invitationForToken(deps, issued.token)).toBeUndefined();
    // The first message is stale now; the second goes out with the new token.
    expect(await sendQueuedMail(deps, queued(deps)[0]!, 1)).toEqual({ outcome: 'dropped' });
    expect(await sendQueuedMail(deps, queued(deps)[1]!, 1)).toEqual({ outcome: 'sent' });
    expect(deps.sendMail.sent[0]!.text).not.toContain(issued.encoded);
  });

  test('an invitation without an address is refused, and not rotated', async () => {
    const deps = memoryDeps({ now: NOW });
    const issued = await created(deps, false, '');
    await expect(sendInvitation(deps, issued.invitation.id, AS_ADMIN)).rejects.toMatchObject({
      status: 409,
      code: 'no_email',
    });
    expect((await stored(deps, issued.invitation.id)).tokenGeneration).toBe(1);
  });
});

describe("the mail service's reports", () => {
  async function sentOne(deps: MemoryDeps) {
    const issued = await created(deps);
    await sendQueuedMail(deps, queued(deps)[0]!, 1);
    return issued.invitation.id;
  }
  const report = (invitationId: string, messageId = 'message-1') => ({
    invitationId,
    messageId,
    status: 'bounced' as const,
    at: '2026-12-04T10:05:00Z',
    error: 'Permanent: General (ada.lovelace@example.org)',
  });

  test('a bounce of the latest message is recorded, the address masked', async () => {
    const deps = memoryDeps({ now: NOW });
    const id = await sentOne(deps);
    expect(await recordMailReport(deps, report(id))).toBe(true);
    expect((await stored(deps, id)).delivery).toMatchObject({
      status: 'bounced',
      messageId: 'message-1',
      error: 'Permanent: General ([address])',
    });
  });

  test('a report on an earlier message changes nothing', async () => {
    const deps = memoryDeps({ now: NOW });
    const id = await sentOne(deps);
    expect(await recordMailReport(deps, report(id, 'an-older-message'))).toBe(false);
    expect((await stored(deps, id)).delivery?.status).toBe('sent');
  });
});
