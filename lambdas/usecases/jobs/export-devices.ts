import { DEVICE_RESULT_COLUMNS, type DeviceRow, deviceResultCells, deviceRow } from '../../domain/csv/devices';
import type { Device } from '../../domain/device';
import type { Invitation } from '../../domain/invitation';
import { type JobWork, resultKeyOf } from './job-run';
import { writeRowFile } from './row-files';

/**
 * `device-export` (the seeds' `export-info`) and the scheduled `device-audit` (docs/SPEC.md §2.4, §4.4): every
 * device of every invitation, active or revoked, with its real registration and last-seen times; the invitation's
 * token only as its masked hint.
 */
export const exportDevices: JobWork = async (deps, run) => {
  const now = deps.now();
  const { progress, resultKey } = await writeRowFile(
    deps.objects,
    run,
    resultKeyOf(run.job, 'devices.csv'),
    DEVICE_RESULT_COLUMNS,
    deviceExportRows(deps.scan.devicesWithInvitations(), now),
    deviceResultCells,
  );
  return { progress, resultKey, summary: { devices: progress.processed } };
};

export async function* deviceExportRows(
  invitations: AsyncIterable<{ invitation: Invitation; devices: Device[] }>,
  now: Date,
): AsyncGenerator<DeviceRow> {
  for await (const { invitation, devices } of invitations) {
    for (const device of devices) {
      yield deviceRow(invitation, device, now, { token: invitation.tokenHint, operation: 'info' });
    }
  }
}
