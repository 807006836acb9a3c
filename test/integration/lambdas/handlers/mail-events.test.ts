import type { Context, EventBridgeEvent } from 'aws-lambda';
import { defaultDeps } from '../../../../lambdas/adapters/composition';
import { handler } from '../../../../lambdas/handlers/mail-events';
import { SES_EVENTS, SES_INVITATION_TAG } from '../../../../system/resources';
import { eventOf, storedInvitation } from '../../../support/port-contracts/fixtures';

/**
 * SES's reports as EventBridge hands them to the mail-events function (an SES configuration set's EventBridge
 * destination), against the registry table on DynamoDB Local.
 */

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const ADDRESS = 'ada@example.org';

async function sentInvitation(messageId: string) {
  const deps = defaultDeps();
  const invitation = storedInvitation({ email: ADDRESS });
  await deps.store.createInvitation(invitation, eventOf(invitation.id));
  const sent = {
    status: 'sent' as const,
    kind: 'invitation' as const,
    at: '2026-12-04T10:00:00Z',
    tokenGeneration: 1,
    messageId,
  };
  await deps.store.recordDelivery(invitation.id, sent);
  return invitation.id;
}

const sesEvent = (detailType: string, invitationId: string | undefined, messageId: string, extra: object = {}) =>
  ({
    version: '0',
    id: 'e1',
    'detail-type': detailType,
    source: SES_EVENTS.source,
    account: '123456789012',
    time: '2026-12-04T10:01:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      mail: {
        messageId,
        timestamp: '2026-12-04T10:00:00Z',
        destination: [ADDRESS],
        tags: invitationId ? { [SES_INVITATION_TAG]: [invitationId], 'ses:operation': ['SendEmail'] } : {},
      },
      ...extra,
    },
  }) as unknown as EventBridgeEvent<string, never>;

const deliveryOf = async (id: string) => (await defaultDeps().store.getInvitation(id))!.value.delivery;

describe('the mail-events function', () => {
  test('a delivery report sets delivered', async () => {
    const id = await sentInvitation('ses-1');
    await handler(
      sesEvent('Email Delivered', id, 'ses-1', { delivery: { timestamp: '2026-12-04T10:00:05Z' } }),
      context,
    );
    expect(await deliveryOf(id)).toMatchObject({ status: 'delivered', messageId: 'ses-1', at: '2026-12-04T10:00:05Z' });
  });

  test('a bounce sets bounced with its type; a complaint, complained; the address is never kept', async () => {
    const bounced = await sentInvitation('ses-2');
    const bounce = {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: ADDRESS }],
    };
    await handler(sesEvent('Email Bounced', bounced, 'ses-2', { bounce }), context);
    expect(await deliveryOf(bounced)).toMatchObject({ status: 'bounced', error: 'Permanent: General' });

    const complained = await sentInvitation('ses-3');
    await handler(
      sesEvent('Email Complaint Received', complained, 'ses-3', { complaint: { complaintFeedbackType: 'abuse' } }),
      context,
    );
    expect(await deliveryOf(complained)).toMatchObject({ status: 'complained', error: 'abuse' });
    expect(JSON.stringify(await deliveryOf(bounced))).not.toContain(ADDRESS);
  });

  test('a report on another message, or one not tagged with an invitation, changes nothing', async () => {
    const id = await sentInvitation('ses-4');
    await handler(
      sesEvent('Email Bounced', id, 'an-earlier-message', { bounce: { bounceType: 'Transient' } }),
      context,
    );
    await handler(sesEvent('Email Bounced', undefined, 'ses-4', { bounce: { bounceType: 'Transient' } }), context);
    await handler(sesEvent('Email Opened', id, 'ses-4'), context);
    expect(await deliveryOf(id)).toMatchObject({ status: 'sent', messageId: 'ses-4' });
  });
});
