import { config } from '../../config';
import { type ExportRow, exportCells, exportHeader } from '../../domain/csv/results';
import type { Invitation } from '../../domain/invitation';
import { invitationCounter } from '../../domain/invitation-counts';
import { type ExportSecrets, invitationExportRow } from '../../domain/invitation-export';
import { type JobWork, resultKeyOf } from './job-run';
import { writeRowFile } from './row-files';

/**
 * `invitation-export` and the scheduled `invitation-audit` (docs/SPEC.md §2.2, §4.4): every invitation, or those in
 * `options.status`, to the job's result file. Secrets only with `options.includeEncoded` (a scheduled job's
 * options are empty, so an audit never holds one), and then only for live invitations. Its summary counts the
 * invitations it wrote by status, by type and by how soon the live ones expire (`invitationCounter`), as they pass:
 * the walk keeps no list of them.
 */
export const exportInvitations: JobWork = async (deps, run) => {
  const { includeEncoded = false, status } = run.job.options;
  const now = deps.now();
  const secrets = includeEncoded ? { ring: await deps.keyRing(), registryApi: config.registryApiUrl() } : undefined;
  const invitations = deps.scan.invitations(status && { status, now });
  const counter = invitationCounter(now);
  const { progress, resultKey } = await writeRowFile(
    deps.objects,
    run,
    resultKeyOf(run.job, 'invitations.csv'),
    exportHeader(includeEncoded),
    invitationExportRows(invitations, now, counter.count, secrets),
    (row) => exportCells(row, includeEncoded),
  );
  return { progress, resultKey, summary: counter.counts };
};

/** The export's rows, each made (and `counted`) only when the one before has been taken. */
async function* invitationExportRows(
  invitations: AsyncIterable<Invitation>,
  now: Date,
  counted: (invitation: Invitation) => void,
  secrets?: ExportSecrets,
): AsyncGenerator<ExportRow> {
  for await (const invitation of invitations) {
    counted(invitation);
    yield invitationExportRow(invitation, now, secrets);
  }
}
