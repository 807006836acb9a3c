import { DEVICE_RESULT_COLUMNS, type DeviceRow, deviceResultCells, deviceRow } from '../../domain/csv/devices';
import { RegistryError } from '../../domain/errors';
import { type Invitation, effectiveStatus } from '../../domain/invitation';
import type { Deps } from '../deps';
import { revokeAllDevices } from '../devices/manage';
import { type JobRun, type JobWork, resultKeyOf } from './job-run';
import { mapInOrder, writeRowFile } from './row-files';

const DEFAULT_CONCURRENCY = 5;
const EMERGENCY_REASON = 'emergency revocation of every device';

/**
 * Emergency revoke-all (docs/SPEC.md §3.5): every active device of every invitation revoked and every active
 * invitation suspended, so no device validates and no invitation takes a new device until it is rotated.
 * Each invitation changes in its own transaction with its own audit event, under the administrator who
 * started the job. Running it again finds nothing left to do and changes nothing.
 */
export const revokeEverything: JobWork = async (deps, run) => {
  const { job } = run;
  const summary = { invitationsSuspended: 0, devicesRevoked: 0 };
  const concurrency = job.options.concurrency ?? DEFAULT_CONCURRENCY;
  async function* rows(): AsyncGenerator<DeviceRow> {
    for await (const outcome of mapInOrder(deps.scan.invitations(), concurrency, (invitation) =>
      revokeInvitationDevices(deps, run, invitation),
    )) {
      if (outcome.suspended) summary.invitationsSuspended++;
      yield* outcome.rows;
    }
  }
  const key = resultKeyOf(job, 'devices.csv');
  const written = await writeRowFile(deps.objects, run, key, DEVICE_RESULT_COLUMNS, rows(), deviceResultCells);
  summary.devicesRevoked = written.progress.succeeded;
  return { ...written, summary };
};

interface InvitationOutcome {
  suspended: boolean;
  rows: DeviceRow[];
}

const NOTHING_TO_DO: InvitationOutcome = { suspended: false, rows: [] };

/** Suspends one invitation (when active) and revokes its active devices; nothing for one already done. */
async function revokeInvitationDevices(deps: Deps, run: JobRun, invitation: Invitation): Promise<InvitationOutcome> {
  const suspend = invitation.status === 'active' && effectiveStatus(invitation, deps.now()) === 'active';
  if (invitation.status === 'revoked' || (!suspend && invitation.activeDevices === 0)) return NOTHING_TO_DO;
  const reason = run.job.options.reason ?? EMERGENCY_REASON;
  try {
    const { invitation: after, revoked } = await revokeAllDevices(deps, invitation.id, reason, suspend, run.origin);
    const shown = { token: after.tokenHint, operation: 'revoke' };
    return { suspended: suspend, rows: revoked.map((device) => deviceRow(after, device, deps.now(), shown)) };
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    // Revoked meanwhile: nothing of it can be used any more.
    if (error.code === 'already_revoked') return NOTHING_TO_DO;
    const row: DeviceRow = {
      deviceId: '',
      token: invitation.tokenHint,
      invitationName: invitation.name,
      operation: 'revoke',
      status: 'Failed',
      error: error.message,
    };
    return { suspended: false, rows: [row] };
  }
}
