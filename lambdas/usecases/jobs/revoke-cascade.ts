import { RegistryError, invalid } from '../../domain/errors';
import type { JobCheckpoint, JobProgress } from '../../domain/job';
import type { Deps } from '../deps';
import { revokeOne } from '../invitations/manage';
import type { JobRun, ResumableJobWork } from './job-run';
import { type Visited, type WalkFrame, isWalkStack, walkStart, walkSubtree } from './subtree-walk';

/** The figures a cascade reports, saved with each checkpoint. */
interface CascadeCounts {
  invitationsRevoked: number;
  alreadyRevoked: number;
  devicesRevoked: number;
}

export interface CascadeSettings {
  /** Children read from the parent index at a time. */
  pageSize: number;
  /** Children of one page revoked at once. */
  concurrency: number;
}

const DEFAULTS: CascadeSettings = { pageSize: 100, concurrency: 8 };

/**
 * `revoke-cascade` (docs/SPEC.md §3.5): records every descendant of a revoked invitation as revoked, at any depth and
 * size, each in its own transaction with its own `invitation.revoked` event (`cascadeFrom`: the root). Its
 * subtree was unusable from the root's revocation on (docs/SPEC.md §3.7); this makes each revocation explicit. The
 * walk hands over to the next invocation when time runs short and resumes from its last checkpoint after a
 * crash. Running it again over a revoked subtree changes nothing and counts every descendant as
 * `alreadyRevoked`; after a crash, those revoked since the last checkpoint count so too.
 */
export const revokeCascade = (settings: Partial<CascadeSettings> = {}): ResumableJobWork => {
  const { pageSize, concurrency } = { ...DEFAULTS, ...settings };
  return async (deps, run) => {
    const { rootId } = run.job.options;
    if (rootId === undefined) throw invalid('rootId', 'is required for a revoke-cascade job');
    const counts = countsFrom(run.job.checkpoint);
    const checkpoint = (stack: readonly WalkFrame[]): JobCheckpoint => ({ position: stack, summary: { ...counts } });
    const rest = await walkSubtree(positionFrom(run, rootId), {
      pageSize,
      concurrency,
      children: (parentId, after, limit) => deps.store.childIdsAfter(parentId, after, limit),
      visit: (id, again) => revokeDescendant(deps, run, id, again, counts),
      shouldStop: run.timeIsShort,
      stepped: (stack) => run.progress(progressOf(counts), checkpoint(stack)),
    });
    if (rest) return { progress: progressOf(counts), checkpoint: checkpoint(rest) };
    return { progress: progressOf(counts), summary: { ...counts } };
  };
};

/** Revokes one descendant, counting what changed; one visited before a hand-over counts only a change. */
async function revokeDescendant(
  deps: Deps,
  run: JobRun,
  id: string,
  again: boolean,
  counts: CascadeCounts,
): Promise<Visited> {
  const { rootId, reason } = run.job.options;
  try {
    const { found, devicesRevoked } = await revokeOne(deps, id, reason, run.origin, rootId);
    if (devicesRevoked !== undefined) {
      counts.invitationsRevoked++;
      counts.devicesRevoked += devicesRevoked;
    } else if (!again) {
      counts.alreadyRevoked++;
    }
    // Creating a child under an invitation that may not invite is refused, and `canInvite` never changes.
    return { mayHaveChildren: found.canInvite };
  } catch (error) {
    // Removed after its retention since the index listed it: nothing left to revoke, but its children may remain.
    if (error instanceof RegistryError && error.status === 404) return { mayHaveChildren: true };
    throw error;
  }
}

const progressOf = ({ invitationsRevoked, alreadyRevoked }: CascadeCounts): JobProgress => {
  const reached = invitationsRevoked + alreadyRevoked;
  return { processed: reached, succeeded: reached, failed: 0 };
};

const countsFrom = (checkpoint: JobCheckpoint | undefined): CascadeCounts => ({
  invitationsRevoked: checkpoint?.summary.invitationsRevoked ?? 0,
  alreadyRevoked: checkpoint?.summary.alreadyRevoked ?? 0,
  devicesRevoked: checkpoint?.summary.devicesRevoked ?? 0,
});

function positionFrom(run: JobRun, rootId: string): WalkFrame[] {
  const position = run.job.checkpoint?.position;
  if (position === undefined) return walkStart(rootId);
  if (!isWalkStack(position)) throw new Error(`Job ${run.job.id} has a checkpoint that is no walk of a subtree`);
  return position;
}
