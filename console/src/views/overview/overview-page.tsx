import { Page } from '../../ui/page';
import { ActivitySection } from './activity';
import { InvitationCounts } from './invitation-counts';

/** The overview: invitation counts from the newest audit, those expiring soon, and the last two weeks' registrations. */
export function OverviewPage() {
  return (
    <Page title="Overview">
      <InvitationCounts />
      <ActivitySection />
    </Page>
  );
}
