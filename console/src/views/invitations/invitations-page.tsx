import { useState } from 'preact/hooks';
import type { InvitationStatus } from '../../../../lambdas/domain/invitation';
import type { InvitationFilters } from '../../api/registry';
import type { CreateMode } from '../../model/create-form';
import { Field } from '../../ui/field';
import { Page } from '../../ui/page';
import { CreateInvitation } from './create-invitation';
import { DelegationTree } from './delegation-tree';
import { TypeOptions } from './type-options';

const STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const satisfies readonly InvitationStatus[];

type Filters = Required<Pick<InvitationFilters, 'status' | 'type' | 'name' | 'batchId'>>;
const NO_FILTERS: Filters = { status: '', type: '', name: '', batchId: '' };

const isFiltered = (filters: Filters) => Object.values(filters).some((value) => value.trim() !== '');

/** Invitations: a search over the filters the API offers, else the delegation tree; and the create forms. */
export function InvitationsPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [creating, setCreating] = useState<CreateMode>();
  const set = (name: keyof Filters) => (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setDraft({ ...draft, [name]: event.currentTarget.value });

  return (
    <Page title="Invitations">
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => setCreating('create')}>
          Create invitation
        </button>
        <button type="button" onClick={() => setCreating('create-secure')}>
          Create secure invitation
        </button>
      </div>
      {creating && <CreateInvitation mode={creating} onClose={() => setCreating(undefined)} />}

      <form
        class="filters"
        role="search"
        aria-label="Search invitations"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ ...draft, name: draft.name.trim(), batchId: draft.batchId.trim() });
        }}
      >
        <Field
          label="Status"
          control={(props) => (
            <select {...props} value={draft.status} onChange={set('status')}>
              <option value="">any</option>
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label="Type"
          control={(props) => (
            <select {...props} value={draft.type} onChange={set('type')}>
              <option value="">any</option>
              <TypeOptions />
            </select>
          )}
        />
        <Field
          label="Name starts with"
          control={(props) => <input {...props} value={draft.name} onInput={set('name')} autocomplete="off" />}
        />
        <Field
          label="Batch id"
          control={(props) => (
            <input {...props} value={draft.batchId} onInput={set('batchId')} autocomplete="off" spellcheck={false} />
          )}
        />
        <div class="actions">
          <button type="submit">Search</button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>

      {isFiltered(filters) ? (
        <DelegationTree key={JSON.stringify(filters)} matching={filters} />
      ) : (
        <DelegationTree key="tree" />
      )}
    </Page>
  );
}
