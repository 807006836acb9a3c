import type { InvitationView } from '../../../../lambdas/contract/views';
import { href } from '../../router';
import { formatDay, words } from '../../ui/format';
import { Status } from '../../ui/status';

/** Invitations as a table: name (a link to each), type, status, expiry, devices in use of the maximum. */
export function InvitationTable({ invitations, caption }: { invitations: InvitationView[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Expires</th>
          <th scope="col">Devices</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {invitations.map((invitation) => (
          <tr key={invitation.id}>
            <th scope="row">
              <a href={href.invitation(invitation.id)}>{invitation.name}</a>
            </th>
            <td>{words(invitation.type)}</td>
            <td>
              <Status value={invitation.status} />
            </td>
            <td>{formatDay(invitation.expiresAt)}</td>
            <td>
              {invitation.activeDevices} of {invitation.maxDevices}
            </td>
            <td>{formatDay(invitation.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
