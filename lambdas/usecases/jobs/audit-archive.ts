import { archiveLine, archivePath, dayBefore } from '../../domain/audit-archive';
import { AUDIT_ARCHIVE_PREFIXES } from '../../config';
import { type JobWork, emptyProgress, jobDay } from './job-run';

/**
 * The daily audit archive (docs/SPEC.md §4.4): the previous UTC day's events, oldest first, as NDJSON at
 * `audit-log/YYYY/MM/DD.ndjson`, streamed from the log to the audit archive bucket. A second run writes the same
 * file again, as a new version: the bucket keeps every version under Object Lock.
 */
export const auditArchive: JobWork = async (deps, run) => {
  const until = jobDay(run.job);
  const day = dayBefore(until);
  const key = `${AUDIT_ARCHIVE_PREFIXES.auditLog}${archivePath(day)}`;
  const progress = emptyProgress();
  async function* lines(): AsyncGenerator<string> {
    for await (const event of deps.auditLog.between(`${day}T00:00:00Z`, `${until}T00:00:00Z`)) {
      progress.processed++;
      progress.succeeded++;
      run.progress(progress);
      yield archiveLine(event);
    }
  }
  await deps.objects.writeStream(key, lines(), 'application/x-ndjson', 'auditArchive');
  return { progress, summary: { day, events: progress.processed }, resultKey: key };
};
