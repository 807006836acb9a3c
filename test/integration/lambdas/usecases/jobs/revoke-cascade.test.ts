import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { shardOf } from '../../../../../lambdas/adapters/items';
import type { RegistryStore } from '../../../../../lambdas/adapters/registry-store';
import { config } from '../../../../../lambdas/config';
import type { Job, JobMessage } from '../../../../../lambdas/domain/job';
import type { Deps } from '../../../../../lambdas/usecases/deps';
import { registerDevice } from '../../../../../lambdas/usecases/devices/manage';
import { issueInvitation } from '../../../../../lambdas/usecases/invitations/issue';
import { revokeCascade } from '../../../../../lambdas/usecases/jobs/revoke-cascade';
import { runJob } from '../../../../../lambdas/usecases/jobs/run-job';
import { walkStart } from '../../../../../lambdas/usecases/jobs/subtree-walk';
import { JOB_WORKS } from '../../../../../lambdas/usecases/jobs/works';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import type { RevokedInvitation } from '../../../../../lambdas/contract/views';
import { newLocalCredentials } from '../../../../../local/stack/credentials';
import type { Gateway } from '../../../../../local/gateway/gateway';
import { ADMIN, AS_ADMIN, integrationDeps, isolatedDeps } from '../../../../support/deps';
import { signedCall } from '../../../../support/gateway-client';

/**
 * `revoke --cascade` as a job (docs/SPEC.md §3.5) against DynamoDB Local: a subtree eight levels deep, siblings spread
 * over the parent index's shards, walked two children a page, stopped and resumed, crashed and retried, run
 * again over a revoked subtree, handed over from one job-runner invocation to the next through the queue, and
 * the route's answers through the embedded gateway.
 */
jest.setTimeout(180_000);

const origin = { ...AS_ADMIN, requestId: 'request-cascade', sourceIp: '192.0.2.7' };
const SMALL_PAGES = { ...JOB_WORKS, 'revoke-cascade': revokeCascade({ pageSize: 2, concurrency: 3 }) };

interface Tree {
  root: string;
  /** Every descendant of the root. */
  descendants: string[];
  /** The root's children. */
  children: string[];
  /** Descendants with an active device each. */
  withDevices: string[];
}

/**
 * root → 9 children, each with 3 (the third may not invite), the first of which has 2 more (which may not
 * invite); and under the second grandchild a chain down to 8 levels below the root: 60 descendants, ids in
 * creation order.
 */
async function tree(deps: Deps): Promise<Tree> {
  const descendants: string[] = [];
  const issue = async (name: string, parentId?: string, canInvite = true) => {
    const request = { name, type: canInvite ? 'admin' : 'read_only', canInvite, maxDevices: 2, transferable: true };
    const { issued } = await issueInvitation(deps, { ...request, ...(parentId && { parentId }) } as never, { origin });
    if (parentId) descendants.push(issued.invitation.id);
    return issued.invitation.id;
  };
  const root = await issue('Root');
  const children: string[] = [];
  for (let a = 0; a < 9; a++) {
    const child = await issue(`L1-${a}`, root);
    children.push(child);
    for (let b = 0; b < 3; b++) {
      const grandchild = await issue(`L2-${a}-${b}`, child, b < 2);
      if (b === 0) for (let c = 0; c < 2; c++) await issue(`L3-${a}-${c}`, grandchild, false);
    }
  }
  let deep = descendants[4]!;
  for (let level = 3; level <= 8; level++) deep = await issue(`deep-${level}`, deep);
  const withDevices = [children[1]!, descendants[10]!, deep];
  for (const [n, id] of withDevices.entries()) {
    const device = { deviceId: `device-cascade-${id}`, hostname: `host-${n}`, username: `user-${n}` };
    await registerDevice(deps, (await deps.store.lineage(id, device.deviceId))!, device, AS_ADMIN);
  }
  return { root, descendants, children, withDevices };
}

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
  let deps: Awaited<ReturnType<typeof isolatedDeps>>;
  let subtree: Tree;
  let job: Job;

  beforeAll(async () => {
    deps = await isolatedDeps();
    subtree = await tree(deps);
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
    const deps = await isolatedDeps();
    const subtree = await tree(deps);
    const { job } = await revokeInvitation(deps, subtree.root, 'crash', true, origin);
    let pages = 0;
    const store = Object.create(deps.store) as RegistryStore;
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

describe('the job runner hands a cascade over to its next invocation', () => {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  afterAll(() => sqs.destroy());

  /** The job queue's message for `jobId`, deleted; everyone else's put back. */
  async function takeMessage(jobId: string): Promise<JobMessage> {
    const others: string[] = [];
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: config.jobQueueUrl(),
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 60,
          }),
        );
        for (const message of Messages) {
          const body = JSON.parse(message.Body!) as JobMessage;
          if ('jobId' in body && body.jobId === jobId) {
            await sqs.send(
              new DeleteMessageCommand({ QueueUrl: config.jobQueueUrl(), ReceiptHandle: message.ReceiptHandle }),
            );
            return body;
          }
          others.push(message.ReceiptHandle!);
        }
      }
      throw new Error(`No message for job ${jobId} on the job queue`);
    } finally {
      for (const handle of others) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: config.jobQueueUrl(),
            ReceiptHandle: handle,
            VisibilityTimeout: 0,
          }),
        );
      }
    }
  }

  const invoke = async (message: JobMessage, remainingMs: number) => {
    const { handler } = await import('../../../../../lambdas/handlers/job-runner');
    const record = {
      messageId: `message-${remainingMs}`,
      body: JSON.stringify(message),
      attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    } as SQSRecord;
    const context = {
      awsRequestId: 'cascade-test',
      functionName: 'job-runner',
      getRemainingTimeInMillis: () => remainingMs,
    } as Context;
    return handler({ Records: [record] } as SQSEvent, context);
  };

  test('with too little time left it saves where it stands and sends itself again; the next invocation ends it', async () => {
    const deps = integrationDeps();
    const { root, descendants } = await tree(deps);
    const { job } = await revokeInvitation(deps, root, 'handed over', true, origin);
    // The message the API sent: taken here so that only the runner's own is found below.
    expect(await takeMessage(job!.id)).toEqual({ jobId: job!.id });

    expect(await invoke({ jobId: job!.id }, 5_000)).toEqual({ batchItemFailures: [] });
    expect(await jobOf(deps, job!.id)).toMatchObject({
      state: 'running',
      progress: { processed: 0 },
      checkpoint: { position: walkStart(root) },
    });
    const next = await takeMessage(job!.id);

    expect(await invoke(next, 600_000)).toEqual({ batchItemFailures: [] });
    expect(await jobOf(deps, job!.id)).toMatchObject({
      state: 'completed',
      summary: { invitationsRevoked: descendants.length, alreadyRevoked: 0, devicesRevoked: 3 },
    });
    expect((await deps.jobs.getJob(job!.id))!.completedAt).toBeDefined();
  });
});

describe('POST /invitations/{id}/revoke through the gateway', () => {
  const credentials = newLocalCredentials();
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await (await import('../../../../../local/gateway/gateway')).startGateway({ port: 0, credentials });
  });
  afterAll(() => gateway.close());

  const revoke = async (id: string, body: unknown) => {
    const response = await signedCall(gateway.url, credentials, {
      method: 'POST',
      path: `/invitations/${id}/revoke`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as RevokedInvitation & { error?: unknown } };
  };

  test('answers 200 with the job to follow, again on a revoked invitation; 409 without cascade', async () => {
    const deps = integrationDeps();
    const { root } = await tree(deps);
    const first = await revoke(root, { reason: 'api', cascade: true });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      invitation: { id: root, status: 'revoked', revokeReason: 'api' },
      revokedDeviceCount: 0,
      alreadyRevoked: false,
      job: { kind: 'revoke-cascade', state: 'queued', options: { rootId: root, reason: 'api' }, resultReady: false },
    });
    expect(first.body.job).not.toHaveProperty('checkpoint');
    expect(first.body.job).not.toHaveProperty('requestId');

    expect(await revoke(root, { reason: 'api' })).toMatchObject({
      status: 409,
      body: { error: { code: 'already_revoked' } },
    });
    const again = await revoke(root, { cascade: true });
    expect(again).toMatchObject({ status: 200, body: { alreadyRevoked: true, revokedDeviceCount: 0 } });
    expect(again.body.job!.id).not.toBe(first.body.job!.id);
    expect(await deps.jobs.getJob(again.body.job!.id)).toMatchObject({ kind: 'revoke-cascade', state: 'queued' });
  });

  test('refuses a cascade that is not a boolean, naming the field, and an unknown invitation', async () => {
    expect(await revoke('01JD0000000000000000000000', { cascade: 'yes' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request', details: { field: 'cascade' } } },
    });
    const unknown = await revoke('01JD0000000000000000000000', { cascade: true });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(unknown.body).not.toHaveProperty('job');
  });
});
