import type { InvitationView } from '../../../../lambdas/contract/views';
import { bindingsFromParent, blockText, blockedBy } from '../../model/inheritance';
import { href } from '../../router';
import { formatDay, words } from '../../ui/format';
import { Status } from '../../ui/status';

/**
 * One invitation's line in the tree: its name (a link to it), type, status, expiry, devices in use of its maximum,
 * what its parent binds, and the ancestor that blocks it, if one does. The tree item is named by this line.
 */
export function NodeLine({
  invitation,
  ancestors,
  labelId,
}: {
  invitation: InvitationView;
  /** From its parent up to the top, as the tree read them. */
  ancestors: InvitationView[];
  labelId: string;
}) {
  const [parent] = ancestors;
  const bindings = parent ? bindingsFromParent(invitation, parent) : [];
  const block = blockedBy(ancestors.map((ancestor) => ({ id: ancestor.id, invitation: ancestor })));
  return (
    <span id={labelId} class="node-line">
      <a href={href.invitation(invitation.id)} tabIndex={-1} class="node-name">
        {invitation.name}
      </a>
      <span class="sep"> · </span>
      {words(invitation.type)}
      <span class="sep"> · </span>
      <Status value={invitation.status} />
      <span class="sep"> · </span>
      expires {formatDay(invitation.expiresAt)}
      <span class="sep"> · </span>
      devices {invitation.activeDevices} of {invitation.maxDevices}
      {bindings.length > 0 && (
        <span class="node-bound">
          <span class="sep"> · </span>
          bound by parent: {bindings.map(({ short }) => short).join(', ')}
        </span>
      )}
      {block && (
        <span class="node-blocked">
          <span class="sep"> · </span>
          {blockText(block)}
        </span>
      )}
    </span>
  );
}
