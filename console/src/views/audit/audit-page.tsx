import { useState } from 'preact/hooks';
import { AUDIT_ACTIONS } from '../../../../lambdas/domain/audit';
import type { AuditFilters } from '../../api/registry';
import { Field } from '../../ui/field';
import { Page } from '../../ui/page';
import { AuditTable } from './audit-table';

interface Draft {
  since: string;
  until: string;
  action: string;
  actor: string;
  targetId: string;
}

const NO_FILTERS: Draft = { since: '', until: '', action: '', actor: '', targetId: '' };

/** A time picked in the browser's time zone (`2026-11-21T08:00`), as the RFC 3339 instant the API takes. */
const instant = (local: string): string | undefined =>
  local ? new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;

const auditFilters = (draft: Draft): AuditFilters => ({
  since: instant(draft.since),
  until: instant(draft.until),
  action: draft.action || undefined,
  actor: draft.actor.trim() || undefined,
  targetId: draft.targetId.trim() || undefined,
});

/** The audit log, newest first, with the CLI's filters: since, until, action, actor, target id. */
export function AuditPage() {
  const [draft, setDraft] = useState<Draft>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>({});
  const set = (name: keyof Draft) => (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setDraft({ ...draft, [name]: event.currentTarget.value });
  return (
    <Page title="Audit">
      <form
        class="filters"
        role="search"
        aria-label="Filter audit events"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(auditFilters(draft));
        }}
      >
        <Field
          label="Since"
          hint="Your local time"
          control={(props) => <input {...props} type="datetime-local" value={draft.since} onInput={set('since')} />}
        />
        <Field
          label="Until"
          hint="Your local time"
          control={(props) => <input {...props} type="datetime-local" value={draft.until} onInput={set('until')} />}
        />
        <Field
          label="Action"
          control={(props) => (
            <select {...props} value={draft.action} onChange={set('action')}>
              <option value="">any</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          label="Actor"
          hint="An IAM ARN, system:<job>, invitation:<id>, …"
          control={(props) => <input {...props} value={draft.actor} onInput={set('actor')} autocomplete="off" />}
        />
        <Field
          label="Target id"
          hint="An invitation, device, batch or job id"
          control={(props) => (
            <input {...props} value={draft.targetId} onInput={set('targetId')} autocomplete="off" spellcheck={false} />
          )}
        />
        <div class="actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters({});
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Events, newest first</h2>
        <AuditTable filters={filters} caption="Audit events" />
      </section>
    </Page>
  );
}
