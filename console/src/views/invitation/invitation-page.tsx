import { useCallback, useState } from 'preact/hooks';
import type { InvitationView } from '../../../../lambdas/contract/views';
import { ApiError } from '../../api/client';
import { getInvitation, listInvitations } from '../../api/registry';
import { useLoad } from '../../hooks/use-load';
import { usePages } from '../../hooks/use-pages';
import type { Ancestor } from '../../model/inheritance';
import { ErrorAlert } from '../../ui/error-alert';
import { LoadMore } from '../../ui/load-more';
import { Page } from '../../ui/page';
import { AuditTable } from '../audit/audit-table';
import { InvitationTable } from '../invitations/invitation-table';
import { InvitationActions } from './actions';
import { Devices } from './devices';
import { Settings } from './settings';

/** An ancestor's record, or none once the registry no longer has it. */
async function readAncestor(id: string): Promise<Ancestor> {
  try {
    return { id, invitation: (await getInvitation(id)).invitation };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { id };
    throw error;
  }
}

async function readInvitation(id: string): Promise<{ invitation: InvitationView; ancestors: Ancestor[] }> {
  const { invitation } = await getInvitation(id);
  const ancestorIds = invitation.ancestors ?? (invitation.parentId ? [invitation.parentId] : []);
  return { invitation, ancestors: await Promise.all(ancestorIds.map(readAncestor)) };
}

/**
 * One invitation: its settings (inherited ones explained), its actions, devices, audit events and children. Every
 * action reads it all again.
 */
export function InvitationPage({ id }: { id: string }) {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  const refresh = useCallback(() => setVersion((value) => value + 1), []);
  const loaded = useLoad(() => readInvitation(id), `${id}:${version}`);
  const invitation = loaded.data?.invitation;
  return (
    <Page title={invitation ? `Invitation ${invitation.name}` : 'Invitation'}>
      <ErrorAlert error={loaded.error} what={`Invitation ${id} could not be read.`} />
      <p role="status" class="notice">
        {notice}
      </p>
      {loaded.data && invitation && (
        <>
          <InvitationActions invitation={invitation} onChange={refresh} onNotice={setNotice} />
          <section aria-labelledby="settings-heading">
            <h2 id="settings-heading">Settings</h2>
            <Settings invitation={invitation} ancestors={loaded.data.ancestors} />
          </section>
          <Devices id={id} version={version} onChange={refresh} />
          <section aria-labelledby="events-heading">
            <h2 id="events-heading">Audit events</h2>
            <AuditTable
              key={version}
              filters={{ targetId: id }}
              caption={`Events about ${invitation.name}, newest first`}
            />
          </section>
          <Children id={id} version={version} />
        </>
      )}
    </Page>
  );
}

function Children({ id, version }: { id: string; version: number }) {
  const pages = usePages(async (cursor) => {
    const page = await listInvitations({ parentId: id }, cursor);
    return { items: page.invitations, cursor: page.cursor };
  }, `${id}:${version}`);
  return (
    <section aria-labelledby="children-heading">
      <h2 id="children-heading">Sub-invitations</h2>
      {!pages.loading && !pages.error && pages.items.length === 0 && <p>None.</p>}
      {pages.items.length > 0 && <InvitationTable invitations={pages.items} caption="Created under this invitation" />}
      <LoadMore pages={pages} what="sub-invitations" />
    </section>
  );
}
