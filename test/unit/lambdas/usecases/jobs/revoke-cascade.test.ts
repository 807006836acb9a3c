import { shardOf } from '../../../../../lambdas/adapters/items';
import type { InvitationRepository } from '../../../../../lambdas/ports';
import type { Job } from '../../../../../lambdas/domain/job';
import type { Deps } from '../../../../../lambdas/usecases/deps';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import { revokeCascade } from '../../../../../lambdas/usecases/jobs/revoke-cascade';
import { runJob } from '../../../../../lambdas/usecases/jobs/run-job';
import { JOB_WORKS } from '../../../../../lambdas/usecases/jobs/works';
import { type Tree, tree } from '../../../../support/cascade-tree';
import { memoryDeps } from '../../../../support/memory/deps';
import { ADMIN, AS_ADMIN } from '../../../../support/origins';

/**
 * `revoke --cascade` as a job (docs/SPEC.md §3.5) on in-memory ports: a subtree eight levels deep, walked two children a
 * page, stopped and resumed, crashed and retried, run again over a revoked subtree.
 */
const origin = { ...AS_ADMIN, requestId: 'request-cascade', sourceIp: '192.0.2.7' };
const SMALL_PAGES = { ...JOB_WORKS, 'revoke-cascade': revokeCascade({ pageSize: 2, concurrency: 3 }) };

/** A budget that says time is short once it has been asked more than `times` times. */
const shortAfter = (times: number) => {
  let asked = 0;
  return () => ++asked > times;
};

const jobOf = async (deps: Deps, id: string) => (await deps.jobs.getJob(id))!;

async function expectEachRevokedOnce(deps: Deps, { root, descendants }: Tree, job: Job, reason: string) {
  for (const id of descendants) {
    expect((await deps.store.getInvitation(id))!.value).toMatchObject({ status: 'revoked', activeDevices: 0 });
    const revocations = (await deps.auditLog.ofTarget(id)).filter((event) => event.action === 'invitation.revoked');
    expect(revocations).toHaveLength(1);
    expect(revocations[0]).toMatchObject({
      actor: ADMIN,
      requestId: 'request-cascade',
      details: { reason, cascadeFrom: root, jobId: job.id },
    });
  }
}

describe('a cascade over a deep subtree, two children a page', () => {
  let deps: Deps;
  let subtree: Tree;
  let job: Job;

  beforeAll(async () => {
    deps = memoryDeps();
    subtree = await tree(deps, origin);
  });

  test('stopped whenever asked after two pages and resumed from its checkpoint, it revokes each descendant once', async () => {
    expect(subtree.descendants).toHaveLength(60);
    expect(new Set(subtree.children.map(shardOf)).size).toBeGreaterThan(1);
    // Revoked beforehand with its subtree still to do: counted as already revoked, its children revoked.
    const early = subtree.descendants[1]!;
    await revokeInvitation(deps, early, 'breach', false, origin);

    const revoked = await revokeInvitation(deps, subtree.root, 'breach', true, origin);
    expect(revoked).toMatchObject({ alreadyRevoked: false, revokedDeviceCount: 0, invitation: { status: 'revoked' } });
    job = revoked.job!;
    expect(job).toMatchObject({ kind: 'revoke-cascade', state: 'queued', options: { rootId: subtree.root } });

    let runs = 0;
    let deepest = 0;
    for (let current = job; current.state !== 'completed'; current = await jobOf(deps, job.id)) {
      expect(current.state).not.toBe('failed');
      deepest = Math.max(deepest, (current.checkpoint?.position as unknown[] | undefined)?.length ?? 0);
      await runJob(deps, current, SMALL_PAGES, shortAfter(2));
      runs++;
      if (runs === 1) {
        const paused = await jobOf(deps, job.id);
        expect(paused).toMatchObject({ state: 'running', progress: { processed: 4, failed: 0 } });
        expect(paused.checkpoint?.summary).toEqual({ invitationsRevoked: 3, alreadyRevoked: 1, devicesRevoked: 1 });
        const statuses = await Promise.all(
          subtree.descendants.map(async (id) => (await deps.store.getInvitation(id))!.value.status),
        );
        expect(statuses.filter((status) => status === 'revoked')).toHaveLength(4);
      }
    }
    expect(runs).toBeGreaterThan(10);
    // Stopped once down the chain, with a frame for the root and each of the eight levels below it.
    expect(deepest).toBe(9);
    const done = await jobOf(deps, job.id);
    expect(done).toMatchObject({
      state: 'completed',
      progress: { processed: 60, succeeded: 60, failed: 0 },
      summary: { invitationsRevoked: 59, alreadyRevoked: 1, devicesRevoked: 3 },
    });
    await expectEachRevokedOnce(
      deps,
      { ...subtree, descendants: subtree.descendants.filter((id) => id !== early) },
      job,
      'breach',
    );
    const jobEvents = await deps.auditLog.ofTarget(job.id);
    expect(jobEvents.map((event) => event.action)).toEqual(['job.started', 'job.completed']);
    expect(jobEvents[0]).toMatchObject({
      sourceIp: '192.0.2.7',
      details: { kind: 'revoke-cascade', rootId: subtree.root },
    });
    expect(jobEvents[1]!.details).toMatchObject({ invitationsRevoked: 59, alreadyRevoked: 1, devicesRevoked: 3 });
  });

  test('run again on the revoked root: no conflict, nothing changes, every descendant counted as already revoked', async () => {
    const eventsBefore = await deps.auditLog.ofTarget(subtree.descendants[30]!);
    const again = await revokeInvitation(deps, subtree.root, 'once more', true, origin);
    expect(again).toMatchObject({
      alreadyRevoked: true,
      revokedDeviceCount: 0,
      invitation: { revokeReason: 'breach' },
    });
    expect(again.job!.id).not.toBe(job.id);
    await runJob(deps, again.job!, JOB_WORKS);
    expect(await jobOf(deps, again.job!.id)).toMatchObject({
      state: 'completed',
      summary: { invitationsRevoked: 0, alreadyRevoked: 60, devicesRevoked: 0 },
    });
    expect(await deps.auditLog.ofTarget(subtree.descendants[30]!)).toEqual(eventsBefore);
    await expect(revokeInvitation(deps, subtree.root, undefined, false, origin)).rejects.toMatchObject({
      status: 409,
      code: 'already_revoked',
    });
  });
});

describe('a cascade that crashes mid-walk', () => {
  test('is retried from the checkpoint it saved and still revokes each descendant once, counting each once', async () => {
    const deps = memoryDeps();
    const subtree = await tree(deps, origin);
    const { job } = await revokeInvitation(deps, subtree.root, 'crash', true, origin);
    let pages = 0;
    const store = Object.create(deps.store) as InvitationRepository;
    store.childIdsAfter = (...args) => {
      if (++pages > 12) return Promise.reject(new Error('the invocation died'));
      return deps.store.childIdsAfter(...args);
    };
    await expect(runJob({ ...deps, store }, job!, SMALL_PAGES)).rejects.toThrow('the invocation died');
    const crashed = await jobOf(deps, job!.id);
    expect(crashed.state).toBe('running');
    expect(crashed.progress.processed).toBeGreaterThan(5);
    expect(crashed.progress.processed).toBeLessThan(60);

    await runJob(deps, crashed, SMALL_PAGES);
    expect(await jobOf(deps, job!.id)).toMatchObject({
      state: 'completed',
      summary: { invitationsRevoked: 60, alreadyRevoked: 0, devicesRevoked: 3 },
    });
    await expectEachRevokedOnce(deps, subtree, job!, 'crash');
  });
});
