import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { config } from '../../../../../lambdas/config';
import type { JobMessage } from '../../../../../lambdas/domain/job';
import type { Deps } from '../../../../../lambdas/usecases/deps';
import { walkStart } from '../../../../../lambdas/usecases/jobs/subtree-walk';
import { revokeInvitation } from '../../../../../lambdas/usecases/invitations/manage';
import type { RevokedInvitation } from '../../../../../lambdas/contract/views';
import { newLocalCredentials } from '../../../../../local/stack/credentials';
import type { Gateway } from '../../../../../local/gateway/gateway';
import { tree } from '../../../../support/cascade-tree';
import { AS_ADMIN, integrationDeps } from '../../../../support/deps';
import { signedCall } from '../../../../support/gateway-client';

/**
 * `revoke --cascade` as a job (docs/SPEC.md §3.5) against DynamoDB Local and the job queue: handed over from one job-runner
 * invocation to the next through the queue, and the route's answers through the embedded gateway. The walk itself
 * (stopped, resumed, crashed, run again) is the unit suite's (test/unit/lambdas/usecases/jobs/revoke-cascade.test.ts).
 */
jest.setTimeout(180_000);

const origin = { ...AS_ADMIN, requestId: 'request-cascade', sourceIp: '192.0.2.7' };

const jobOf = async (deps: Deps, id: string) => (await deps.jobs.getJob(id))!;

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
    const { root, descendants } = await tree(deps, origin);
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
    const { root } = await tree(deps, origin);
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
