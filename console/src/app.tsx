import { consoleGet } from './api/client';
import { useLoad } from './hooks/use-load';
import { type Route, href, useRoute } from './router';
import { AuditPage } from './views/audit/audit-page';
import { BatchPage } from './views/batches/batch-page';
import { BatchesPage } from './views/batches/batches-page';
import { InvitationPage } from './views/invitation/invitation-page';
import { InvitationsPage } from './views/invitations/invitations-page';
import { JobPage } from './views/jobs/job-page';
import { JobsPage } from './views/jobs/jobs-page';
import { OverviewPage } from './views/overview/overview-page';

/** `GET /session`: which registry the console server forwards to. */
interface Session {
  endpoint: string;
  embedded: boolean;
}

const SECTIONS = [
  { view: 'overview', label: 'Overview', to: href.overview() },
  { view: 'invitations', label: 'Invitations', to: href.invitations() },
  { view: 'batches', label: 'Batches', to: href.batches() },
  { view: 'jobs', label: 'Jobs', to: href.jobs() },
  { view: 'audit', label: 'Audit', to: href.audit() },
] as const;

/** The section a route belongs to: a batch's page is under Batches, and so on. */
const SECTION_OF: Record<Route['view'], (typeof SECTIONS)[number]['view']> = {
  overview: 'overview',
  invitations: 'invitations',
  invitation: 'invitations',
  batches: 'batches',
  batch: 'batches',
  jobs: 'jobs',
  job: 'jobs',
  audit: 'audit',
};

export function App() {
  const route = useRoute();
  const session = useLoad(() => consoleGet<Session>('/session'), 'session');
  const section = SECTION_OF[route.view];
  return (
    <>
      <a class="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="masthead">
        <p class="brand">Prism Registry console</p>
        <p class="registry">
          {session.data
            ? `Registry: ${session.data.endpoint}${session.data.embedded ? ' (embedded stack)' : ''}`
            : session.error
              ? 'Registry: unknown (the console server did not say)'
              : 'Registry: …'}
        </p>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map(({ view, label, to }) => (
              <li key={view}>
                <a href={to} aria-current={view === section ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <View route={route} />
      </main>
    </>
  );
}

/** The skip link moves the focus itself: following `#main` would change the route's fragment. */
function skipToMain(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'overview':
      return <OverviewPage />;
    case 'invitations':
      return <InvitationsPage />;
    case 'invitation':
      return <InvitationPage key={route.id} id={route.id} />;
    case 'batches':
      return <BatchesPage />;
    case 'batch':
      return <BatchPage key={route.id} id={route.id} />;
    case 'jobs':
      return <JobsPage />;
    case 'job':
      return <JobPage key={route.id} id={route.id} />;
    case 'audit':
      return <AuditPage />;
  }
}
