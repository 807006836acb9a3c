import { config } from '../../config';
import type { Origin } from '../../domain/audit';
import type { Batch } from '../../domain/batch';
import { awaitsExpiryMark } from '../../domain/invitation';
import { addDays, rfc3339 } from '../../domain/time';
import { audit } from '../audit';
import type { Deps } from '../deps';
import { revocation } from '../devices/manage';
import { failBatch } from '../batch/ending';
import { requireInvitation } from '../lookup';
import { optimistic } from '../optimistic';
import { UPLOAD_URL_SECONDS } from '../batch/start';
import { mapInOrder } from './row-files';
import { type JobWork, emptyProgress } from './job-run';

const DEFAULT_CONCURRENCY = 5;
const EXPIRY_REASON = 'invitation expired';
const BATCHES_PER_PAGE = 100;
const DAY_MS = 86_400_000;

interface Cleaned {
  marked: boolean;
  devicesRevoked: number;
}

/**
 * The expired cleanup (docs/SPEC.md §3.6): every expired invitation not cleaned yet is marked expired with its
 * devices revoked and one `invitation.expired` event, all in one transaction, and it and everything it
 * holds are scheduled for removal (DynamoDB TTL) the retention after it expired; a revoked one only gets
 * its removal scheduled. Batches whose upload never arrived are failed. A second run finds nothing left.
 */
export const expiredCleanup: JobWork = async (deps, run) => {
  const now = deps.now();
  const retentionDays = config.retentionDays();
  const summary = { invitationsExpired: 0, devicesRevoked: 0, removalsScheduled: 0, batchesFailed: 0 };
  const progress = emptyProgress();
  const done = () => {
    progress.processed++;
    progress.succeeded++;
    run.progress(progress);
  };
  const concurrency = run.job.options.concurrency ?? DEFAULT_CONCURRENCY;
  const expired = deps.scan.expiredAwaitingRemoval(rfc3339(now));
  for await (const cleaned of mapInOrder(expired, concurrency, (id) => cleanUp(deps, id, retentionDays, run.origin))) {
    summary.removalsScheduled++;
    if (cleaned.marked) summary.invitationsExpired++;
    summary.devicesRevoked += cleaned.devicesRevoked;
    done();
  }
  for await (const batch of abandonedUploads(deps, now)) {
    await failBatch(deps, batch.id, 'upload_never_arrived', 'The CSV was never uploaded before its upload URL expired');
    summary.batchesFailed++;
    done();
  }
  return { progress, summary };
};

/** One invitation, re-planned from a fresh read whenever a concurrent change gets there first. */
function cleanUp(deps: Deps, id: string, retentionDays: number, origin: Origin): Promise<Cleaned> {
  return optimistic(async () => {
    const invitation = await requireInvitation(deps, id);
    const removeAfter = addDays(new Date(invitation.value.expiresAt), retentionDays);
    await deps.store.scheduleDependentsRemoval(invitation.value, removeAfter);
    if (!awaitsExpiryMark(invitation.value)) {
      await deps.store.closeExpired(invitation, removeAfter);
      return { marked: false, devicesRevoked: 0 };
    }
    const active = (await deps.store.listDevices(id)).filter((device) => device.status === 'active');
    const devicesRevoked = active.map((device) => device.deviceId);
    const event = audit(deps, origin, 'invitation.expired', id, {
      expiresAt: invitation.value.expiresAt,
      devicesRevoked,
      removeAfter: rfc3339(removeAfter),
    });
    await deps.store.closeExpired(invitation, removeAfter, {
      devices: active,
      revocation: revocation(deps, EXPIRY_REASON, origin),
      audit: event,
    });
    return { marked: true, devicesRevoked: active.length };
  });
}

/**
 * Batches still awaiting the CSV their creator was to upload, whose presigned URL expired more than a day
 * ago: that file is not coming. (A dropped file's batch never waits for an upload.)
 */
async function* abandonedUploads(deps: Deps, now: Date): AsyncGenerator<Batch> {
  const createdBefore = rfc3339(new Date(now.getTime() - UPLOAD_URL_SECONDS * 1000 - DAY_MS));
  let cursor: string | undefined;
  do {
    const page = await deps.batches.listBatches({ limit: BATCHES_PER_PAGE, cursor, state: 'awaiting_upload' });
    yield* page.batches.filter((batch) => batch.source !== 's3' && batch.createdAt < createdBefore);
    cursor = page.cursor;
  } while (cursor);
}
