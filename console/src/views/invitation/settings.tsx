import type { InvitationView } from '../../../../lambdas/contract/views';
import { type Ancestor, type BoundSetting, bindingsFromParent, blockText, blockedBy } from '../../model/inheritance';
import { href } from '../../router';
import { formatNumber, words, yesNo } from '../../ui/format';
import { type KeyValue, KeyValues } from '../../ui/key-values';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';

/**
 * Every setting of an invitation, each inherited value with a note comparing it with the parent's, and what blocks it
 * from above.
 */
export function Settings({ invitation, ancestors }: { invitation: InvitationView; ancestors: Ancestor[] }) {
  const parent = ancestors[0]?.invitation;
  const notes = new Map<BoundSetting, string>(
    parent ? bindingsFromParent(invitation, parent).map(({ setting, text }) => [setting, text]) : [],
  );
  const block = blockedBy(ancestors);
  const restrictions = Object.entries(invitation.policyRestrictions ?? {});
  const entries: (KeyValue | false | undefined)[] = [
    {
      term: 'Status',
      value: (
        <>
          <Status value={invitation.status} />
          {block && <strong class="blocked"> — {blockText(block)}: its whole subtree is unusable</strong>}
        </>
      ),
    },
    invitation.revokedAt !== undefined && {
      term: 'Revoked or suspended',
      value: (
        <>
          <Time value={invitation.revokedAt} /> by {invitation.revokedBy ?? 'unknown'}
          {invitation.revokeReason && `: ${invitation.revokeReason}`}
        </>
      ),
    },
    { term: 'Type', value: words(invitation.type) },
    {
      term: 'Created',
      value: (
        <>
          <Time value={invitation.createdAt} /> by {invitation.createdBy}
        </>
      ),
    },
    { term: 'Expires', value: <Time value={invitation.expiresAt} />, note: notes.get('expiresAt') },
    { term: 'Valid days', value: invitation.validDays },
    { term: 'Can invite', value: yesNo(invitation.canInvite) },
    { term: 'Transferable', value: yesNo(invitation.transferable), note: notes.get('transferable') },
    { term: 'Device bound', value: yesNo(invitation.deviceBound), note: notes.get('deviceBound') },
    {
      term: 'Devices',
      value: `${invitation.activeDevices} in use of at most ${invitation.maxDevices}`,
      note: notes.get('maxDevices'),
    },
    {
      term: 'Descendants',
      value: `${formatNumber(invitation.descendantsCreated)} created of at most ${formatNumber(invitation.maxDescendants)}`,
      note: notes.get('maxDescendants'),
    },
    invitation.parentId !== undefined && {
      term: 'Parent',
      value: <a href={href.invitation(invitation.parentId)}>{parent?.name ?? invitation.parentId}</a>,
    },
    ancestors.length > 1 && {
      term: 'Ancestors',
      value: (
        <ol class="chain">
          {[...ancestors].reverse().map(({ id, invitation: ancestor }) => (
            <li key={id}>
              <a href={href.invitation(id)}>{ancestor?.name ?? id}</a>{' '}
              {ancestor ? <Status value={ancestor.status} /> : '(no longer in the registry)'}
            </li>
          ))}
        </ol>
      ),
    },
    invitation.batchId !== undefined && {
      term: 'Batch',
      value: (
        <>
          <a href={href.batch(invitation.batchId)}>{invitation.batchId}</a>
          {invitation.batchRow !== undefined && `, row ${invitation.batchRow}`}
        </>
      ),
    },
    invitation.ownerAccount !== undefined && { term: 'Owner account', value: invitation.ownerAccount },
    invitation.ownerProfile !== undefined && { term: 'Owner profile', value: invitation.ownerProfile },
    invitation.s3ConfigPath !== undefined && { term: 'S3 config path', value: invitation.s3ConfigPath },
    restrictions.length > 0 && {
      term: 'Policy restrictions',
      value: (
        <ul>
          {restrictions.map(([name, value]) => (
            <li key={name}>
              {name}: {Array.isArray(value) ? value.join(', ') : String(value)}
            </li>
          ))}
        </ul>
      ),
    },
    { term: 'Email', value: invitation.email ?? 'none' },
    invitation.delivery !== undefined && {
      term: 'Delivery',
      value: (
        <>
          <Status value={invitation.delivery.status} /> ({invitation.delivery.kind}) since{' '}
          <Time value={invitation.delivery.at} />
          {invitation.delivery.error && `: ${invitation.delivery.error}`}
        </>
      ),
    },
    {
      term: 'Token',
      value: <code>{invitation.tokenHint}</code>,
      note: 'a masked hint; the token itself is never shown again',
    },
    { term: 'Id', value: <code>{invitation.id}</code> },
  ];
  return <KeyValues entries={entries} />;
}
