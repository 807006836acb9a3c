import { mailMessageOfEvent } from '../../../../../lambdas/domain/delivery';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { expiryReminders } from '../../../../../lambdas/usecases/jobs/expiry-reminders';
import { ENV } from '../../../../../system/resources';
import { type MemoryDeps, memoryDeps } from '../../../../support/memory/deps';
import { scheduledRun } from '../../../../support/job-runs';
import { AS_ADMIN } from '../../../../support/origins';

const SYSTEM = 'system:expiry-reminders';
const CREATED = new Date('2026-11-01T08:00:00Z');
/** 25 days on: a 30-day invitation has 5 days left, inside the default 7. */
const RUN = new Date('2026-11-26T08:00:00Z');

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps({ now: CREATED });
});
afterEach(() => {
  delete process.env[ENV.expiryReminderDays];
});

const issue = (name: string, validDays: number) =>
  issueInvitation(deps, { name, type: 'read_only', validDays }, { origin: AS_ADMIN }).then(({ issued }) => issued);

const run = () => expiryReminders(deps, scheduledRun('expiry-reminders', deps.clock.now.toISOString()));

const expiringEvents = async (id: string) =>
  (await deps.auditLog.ofTarget(id)).filter((event) => event.action === 'invitation.expiring');

describe('expiry reminders on in-memory ports', () => {
  test('announces each invitation expiring within the days once, and none that is not due', async () => {
    const due = await issue('due', 30);
    const later = await issue('later', 60);
    const revoked = await issue('revoked', 30);
    await revokeInvitation(deps, revoked.invitation.id, 'left', false, AS_ADMIN);
    deps.clock.now = new Date('2026-11-25T08:00:00Z');
    // Made on the 25th to last 3 days: told its expiry when it was made, not reminded.
    const short = await issue('short', 3);
    const expired = await issue('expired', 1);
    deps.clock.now = RUN;

    const first = await run();
    expect(first.summary).toEqual({
      reminderDays: 7,
      invitationsAnnounced: 1,
      alreadyAnnounced: 0,
      remindersQueued: 0,
    });
    expect(first.progress).toEqual({ processed: 1, succeeded: 1, failed: 0 });
    expect(await expiringEvents(due.invitation.id)).toEqual([
      expect.objectContaining({
        actor: SYSTEM,
        at: '2026-11-26T08:00:00Z',
        details: expect.objectContaining({ expiresAt: '2026-12-01T08:00:00Z', daysLeft: 5 }),
      }),
    ]);
    expect((await deps.store.getInvitation(due.invitation.id))!.value.expiryRemindedAt).toBe('2026-11-26T08:00:00Z');
    for (const quiet of [later, revoked, short, expired]) expect(await expiringEvents(quiet.invitation.id)).toEqual([]);

    const second = await run();
    expect(second.summary).toEqual({
      reminderDays: 7,
      invitationsAnnounced: 0,
      alreadyAnnounced: 0,
      remindersQueued: 0,
    });
    expect(await expiringEvents(due.invitation.id)).toHaveLength(1);
  });

  test('an invitation with an address is also e-mailed a reminder: the same event queues it, once', async () => {
    const withAddress = await issueInvitation(
      deps,
      { name: 'mailed', type: 'read_only', validDays: 30, email: 'ada@example.org' },
      { origin: AS_ADMIN },
    ).then(({ issued }) => issued);
    deps.clock.now = RUN;
    expect((await run()).summary).toMatchObject({ invitationsAnnounced: 1, remindersQueued: 1 });
    const [event] = await expiringEvents(withAddress.invitation.id);
    expect(mailMessageOfEvent(event!)).toEqual({
      invitationId: withAddress.invitation.id,
      kind: 'reminder',
      tokenGeneration: 1,
    });
    expect(JSON.stringify(event)).not.toContain('ada@example.org');
    expect((await deps.store.getInvitation(withAddress.invitation.id))!.value.delivery).toEqual({
      status: 'queued',
      kind: 'reminder',
      at: '2026-11-26T08:00:00Z',
      tokenGeneration: 1,
    });
    expect((await run()).summary).toMatchObject({ invitationsAnnounced: 0, remindersQueued: 0 });
  });

  test('the days are a setting: with 30, a 60-day invitation is announced once it has 30 days left', async () => {
    process.env[ENV.expiryReminderDays] = '30';
    const long = await issue('long', 60);
    deps.clock.now = RUN;
    expect((await run()).summary).toEqual({
      reminderDays: 30,
      invitationsAnnounced: 0,
      alreadyAnnounced: 0,
      remindersQueued: 0,
    });
    deps.clock.now = new Date('2026-12-05T08:00:00Z');
    expect((await run()).summary).toEqual({
      reminderDays: 30,
      invitationsAnnounced: 1,
      alreadyAnnounced: 0,
      remindersQueued: 0,
    });
    expect(await expiringEvents(long.invitation.id)).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ expiresAt: '2026-12-31T08:00:00Z', daysLeft: 26 }),
      }),
    ]);
  });

  test('two runs racing each other announce an invitation once', async () => {
    const due = await issue('due', 30);
    deps.clock.now = RUN;
    const summaries = (await Promise.all([run(), run()])).map(({ summary }) => summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        { reminderDays: 7, invitationsAnnounced: 1, alreadyAnnounced: 0, remindersQueued: 0 },
        { reminderDays: 7, invitationsAnnounced: 0, alreadyAnnounced: 1, remindersQueued: 0 },
      ]),
    );
    expect(await expiringEvents(due.invitation.id)).toHaveLength(1);
  });

  test('a malformed day count is refused with its name', async () => {
    process.env[ENV.expiryReminderDays] = '0';
    await expect(run()).rejects.toThrow(
      `Environment variable ${ENV.expiryReminderDays} must be a whole number from 1 to 365`,
    );
  });
});
