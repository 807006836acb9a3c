import { useMemo } from 'preact/hooks';
import { REFUSED_ACTION, REGISTERED_ACTION, activityDays, perDay, refusalsPerDay, sinceOf } from '../../model/activity';
import { useLoad } from '../../hooks/use-load';
import { ErrorAlert } from '../../ui/error-alert';
import { formatNumber } from '../../ui/format';
import { ActivityChart, type ActivitySeries } from './activity-chart';
import { type CappedEvents, EVENT_CAP, readEvents } from './read-events';

interface Activity {
  days: string[];
  registered: CappedEvents;
  refused: PromiseSettledResult<CappedEvents>;
}

/**
 * Device registrations and refusals by reason per day over the last two weeks, from the audit log: a chart, and a
 * table with the same figures. Refusals that cannot be read (a registry that does not record them) leave the
 * registrations on show.
 */
export function ActivitySection() {
  const loaded = useLoad(async (): Promise<Activity> => {
    const days = activityDays(new Date());
    const since = sinceOf(days);
    const [registered, refused] = await Promise.all([
      readEvents(REGISTERED_ACTION, since),
      readEvents(REFUSED_ACTION, since).then(
        (value): PromiseSettledResult<CappedEvents> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<CappedEvents> => ({ status: 'rejected', reason }),
      ),
    ]);
    return { days, registered, refused };
  }, 'activity');
  const activity = loaded.data;
  const series = useMemo(
    (): ActivitySeries | undefined =>
      activity && {
        days: activity.days,
        registrations: perDay(activity.days, activity.registered.events),
        refusals:
          activity.refused.status === 'fulfilled' ? refusalsPerDay(activity.days, activity.refused.value.events) : [],
      },
    [activity],
  );
  const capped =
    activity &&
    (activity.registered.capped || (activity.refused.status === 'fulfilled' && activity.refused.value.capped));
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Registrations and refusals, last 14 days</h2>
      <ErrorAlert error={loaded.error} what="Registrations could not be read." />
      {loaded.loading && !activity && <p role="status">Reading the audit log…</p>}
      {activity?.refused.status === 'rejected' && (
        <ErrorAlert error={activity.refused.reason} what="Refusals could not be read; registrations are shown alone." />
      )}
      {capped && (
        <p class="warning">
          More than {formatNumber(EVENT_CAP)} events of one kind: only the newest {formatNumber(EVENT_CAP)} are counted,
          so the earliest days are incomplete.
        </p>
      )}
      {series && (
        <>
          <ActivityChart
            series={series}
            label="Bar chart of device registrations and refusals per day; the table below has the figures."
          />
          <ActivityTable series={series} />
        </>
      )}
    </section>
  );
}

function ActivityTable({ series }: { series: ActivitySeries }) {
  return (
    <table class="narrow">
      <caption>Per day (UTC)</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Registrations</th>
          {series.refusals.map(([reason]) => (
            <th scope="col" key={reason}>
              Refused: {reason}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {series.days.map((day, index) => (
          <tr key={day}>
            <th scope="row">{day}</th>
            <td>{series.registrations[index]}</td>
            {series.refusals.map(([reason, counts]) => (
              <td key={reason}>{counts[index]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
