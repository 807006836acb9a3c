import { config } from '../../config';
import type { Origin } from '../../domain/audit';
import { type Device, unseenSince } from '../../domain/device';
import { errors } from '../../domain/errors';
import { addDays, rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { revocation } from '../devices/manage';
import { requireInvitation } from '../lookup';
import { optimistic } from '../optimistic';
import { type JobWork, emptyProgress } from './job-run';
import { mapInOrder } from './row-files';

const DEFAULT_CONCURRENCY = 5;

/** The stale-device days a run works with; a run asked for while the deployment leaves the job off is refused. */
export function staleDeviceDays(): number {
  const days = config.staleDeviceDays();
  if (days === undefined) {
    throw errors.conflict(
      'job_off',
      'stale-devices is off: the deployment sets no stale-device days (staleDeviceDays; REGISTRY_STALE_DEVICE_DAYS in the embedded stack)',
    );
  }
  return days;
}

/**
 * Device hygiene (docs/SPEC.md §4.8): revokes every active device not seen for the stale-device days, one
 * `device.revoked` event each, as `system:stale-devices`. A device validated between the scan and its revocation
 * is kept: the revocation holds only while its `lastSeenAt` is still before the cutoff. A second run finds nothing.
 */
export const staleDevices: JobWork = async (deps, run) => {
  const days = staleDeviceDays();
  const cutoff = rfc3339(addDays(deps.now(), -days));
  const reason = `not seen for ${days} days`;
  const progress = emptyProgress();
  const summary = { staleDeviceDays: days, devicesRevoked: 0, seenMeanwhile: 0 };
  const concurrency = run.job.options.concurrency ?? DEFAULT_CONCURRENCY;
  const revoke = (device: Device) => revokeIfUnseen(deps, device, cutoff, reason, run.origin);
  for await (const revoked of mapInOrder(deps.scan.devicesUnseenSince(cutoff), concurrency, revoke)) {
    progress.processed++;
    progress.succeeded++;
    if (revoked) summary.devicesRevoked++;
    else summary.seenMeanwhile++;
    run.progress(progress);
  }
  return { progress, summary };
};

/** One device, re-read whenever a concurrent change (a validation, a revocation) gets there first. */
function revokeIfUnseen(deps: Deps, found: Device, cutoff: string, reason: string, origin: Origin): Promise<boolean> {
  return optimistic(async () => {
    const invitation = await requireInvitation(deps, found.invitationId);
    const device = await deps.store.getDevice(found.invitationId, found.deviceId);
    if (!device || !unseenSince(device, cutoff)) return false;
    const event = audit(deps, origin, 'device.revoked', device.deviceId, {
      invitationId: device.invitationId,
      reason,
      lastSeenAt: device.lastSeenAt,
    });
    await deps.store.revokeDevices(invitation, [device], revocation(deps, reason, origin), event, {
      unseenSince: cutoff,
    });
    return true;
  });
}
