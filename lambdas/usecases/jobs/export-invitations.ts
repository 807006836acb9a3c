import { config } from '../../config';
import { type ExportRow, exportCells, exportHeader } from '../../domain/csv/results';
import type { Invitation } from '../../domain/invitation';
import { type ExportSecrets, invitationExportRow } from '../../domain/invitation-export';
import { type JobWork, resultKeyOf } from './job-run';
import { writeRowFile } from './row-files';

/**
 * `invitation-export` and the scheduled `invitation-audit` (docs/SPEC.md §2.2, §4.4): every invitation, or those in
 * `options.status`, to the job's result file. Secrets only with `options.includeEncoded` (a scheduled job's
 * options are empty, so an audit never holds one), and then only for live invitations.
 */
export const exportInvitations: JobWork = async (deps, run) => {
  const { includeEncoded = false, status } = run.job.options;
  const now = deps.now();
  const secrets = includeEncoded ? { ring: await deps.keyRing(), registryApi: config.registryApiUrl() } : undefined;
  const invitations = deps.scan.invitations(status && { status, now });
  const { progress, resultKey } = await writeRowFile(
    deps.objects,
    run,
    resultKeyOf(run.job, 'invitations.csv'),
    exportHeader(includeEncoded),
    invitationExportRows(invitations, now, secrets),
    (row) => exportCells(row, includeEncoded),
  );
  return { progress, resultKey, summary: { invitations: progress.processed } };
};

/** The export's rows, each made only when the one before has been taken. */
export async function* invitationExportRows(
  invitations: AsyncIterable<Invitation>,
  now: Date,
  secrets?: ExportSecrets,
): AsyncGenerator<ExportRow> {
  for await (const invitation of invitations) yield invitationExportRow(invitation, now, secrets);
}
