import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { DEFAULT_SERVICE_NAME, METRICS_NAMESPACE } from '../../../lambdas/metrics';
import { startBatch } from '../../../lambdas/usecases/batch/start';
import { startJob } from '../../../lambdas/usecases/jobs/start-job';
import { splitArrivedObject } from '../../../lambdas/usecases/batch/split';
import type { IssuedInvitation } from '../../../lambdas/contract/views';
import { newLocalCredentials } from '../../../local/stack/credentials';
import type { Gateway } from '../../../local/gateway/gateway';
import { SEED_HEADER } from '../../support/class-template';
import { AS_ADMIN, integrationDeps } from '../../support/deps';
import { captureEmf, emitMetricsToConsole, total, type Datapoint } from '../../support/emf';
import { call, signedCall, type GatewayCall } from '../../support/gateway-client';

jest.setTimeout(120_000);

// Before any function's module loads: the gateway loads them on their first request, the rest below.
emitMetricsToConsole();

type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

const deps = integrationDeps();
const credentials = newLocalCredentials();
const service = DEFAULT_SERVICE_NAME;
let gateway: Gateway;
let jobRunner: SqsHandler;
let jobDeadLetters: SqsHandler;
let drive: typeof import('../../support/pipeline-driver').drive;

beforeAll(async () => {
  gateway = await (await import('../../../local/gateway/gateway')).startGateway({ port: 0, credentials });
  jobRunner = (await import('../../../lambdas/handlers/job-runner')).handler;
  jobDeadLetters = (await import('../../../lambdas/handlers/job-dead-letters')).handler;
  drive = (await import('../../support/pipeline-driver')).drive;
});
afterAll(() => gateway.close());

const context = { awsRequestId: 'metrics-test', functionName: 'metrics-test' } as Context;
const sqsEvent = (body: unknown): SQSEvent => ({
  Records: [
    {
      messageId: 'message-1',
      body: JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    } as SQSRecord,
  ],
});

const datapoint = (name: string, dimensions: Record<string, string> = {}, value = 1): Datapoint => ({
  namespace: METRICS_NAMESPACE,
  name,
  dimensions: { service, ...dimensions },
  value,
});

/** Creates an invitation as an administrator; the response carries its secrets, the EMF must not. */
async function issue(request: Record<string, unknown>): Promise<IssuedInvitation> {
  const {
    result: response,
    emf,
    datapoints,
  } = await captureEmf(() =>
    signedCall(gateway.url, credentials, {
      method: 'POST',
      path: '/invitations',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'read_only', transferable: true, ...request }),
    }),
  );
  expect(response.status).toBe(201);
  const issued = (await response.json()) as IssuedInvitation;
  expect(datapoints).toEqual([datapoint('Requests', { route: 'POST /invitations' })]);
  for (const secret of [issued.token, issued.encoded]) expect(emf).not.toContain(secret);
  return issued;
}

/** A public request through the gateway, with the EMF it made the function write. */
async function request(gatewayCall: GatewayCall) {
  const { result: response, emf, datapoints } = await captureEmf(() => call(gateway.url, gatewayCall));
  return { status: response.status, emf, datapoints };
}

const post = (path: string, body: unknown): GatewayCall => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const register = (token: string, deviceId: string) =>
  post('/registry/register', { invitation_token: token, device_id: deviceId, hostname: 'lab-1', username: 'ana' });

describe('the metrics the functions write (CloudWatch EMF)', () => {
  test('a registration counts the request by its route and the device, and writes no secret', async () => {
    const { token, encoded } = await issue({ name: 'metrics-register', maxDevices: 2 });
    const { status, emf, datapoints } = await request(register(token, 'laptop-1'));
    expect(status).toBe(200);
    expect(datapoints).toEqual([
      datapoint('Requests', { route: 'POST /registry/register' }),
      datapoint('DevicesRegistered'),
    ]);
    expect(emf).not.toContain(token);
    expect(emf).not.toContain(encoded);
  });

  test('a registration over the cap is refused with reason max_devices_reached', async () => {
    const { token } = await issue({ name: 'metrics-cap', maxDevices: 1 });
    expect((await request(register(token, 'first'))).status).toBe(200);
    const { status, emf, datapoints } = await request(register(token, 'second'));
    expect(status).toBe(409);
    expect(datapoints).toEqual([
      datapoint('Requests', { route: 'POST /registry/register' }),
      datapoint('RegistrationsRefused', { reason: 'max_devices_reached' }),
    ]);
    expect(emf).not.toContain(token);
  });

  test('a registration refused for bad input counts as invalid_request, its input nowhere', async () => {
    const { datapoints, emf } = await request(post('/registry/register', { invitation_token: 'inv-not-a-real-one' }));
    expect(datapoints).toEqual([
      datapoint('Requests', { route: 'POST /registry/register' }),
      datapoint('RegistrationsRefused', { reason: 'invalid_request' }),
    ]);
    expect(emf).not.toContain('inv-not-a-real-one');
  });

  test('accepting with a device registers it; a tampered invitation is refused by its code', async () => {
    const { token, encoded } = await issue({ name: 'metrics-accept' });
    const accepted = await request(post('/accept', { encoded, device: { hostname: 'lab-2', username: 'ana' } }));
    expect(accepted.status).toBe(200);
    expect(accepted.datapoints).toEqual([
      datapoint('Requests', { route: 'POST /accept' }),
      datapoint('DevicesRegistered'),
    ]);

    const tampered = `${encoded.slice(0, -4)}AAAA`;
    const refused = await request(post('/accept', { encoded: tampered }));
    expect(refused.status).toBe(400);
    expect(refused.datapoints).toEqual([
      datapoint('Requests', { route: 'POST /accept' }),
      datapoint('RegistrationsRefused', { reason: 'tampered_invitation' }),
    ]);
    for (const secret of [token, encoded, tampered]) expect(accepted.emf + refused.emf).not.toContain(secret);
  });

  test('a validation answered valid:false counts by its reason; a valid one counts only the request', async () => {
    const { token } = await issue({ name: 'metrics-validate' });
    expect((await request(register(token, 'desk-1'))).status).toBe(200);
    const validate = (device: string) =>
      request({ method: 'GET', path: '/registry/validate', query: { token, device } });
    const route = { route: 'GET /registry/validate' };

    const unknown = await validate('desk-2');
    expect(unknown.datapoints).toEqual([
      datapoint('Requests', route),
      datapoint('ValidationsRefused', { reason: 'unknown_device' }),
    ]);
    expect((await validate('desk-1')).datapoints).toEqual([datapoint('Requests', route)]);
    expect(unknown.emf).not.toContain(token);
  });

  test('batch rows count once each, as succeeded or failed, redeliveries and dead letters included', async () => {
    const rows = Array.from({ length: 60 }, (_, n) =>
      [3, 55].includes(n + 1) ? `Bad-${n + 1},emperor,30,no,no,yes,1` : `Row-${n + 1},read_only,30,no,no,yes,1`,
    );
    const { batch } = await startBatch(deps, {
      request: {},
      csv: [SEED_HEADER, ...rows].join('\n'),
      source: 'api',
      origin: AS_ADMIN,
    });
    const batchId = batch.id;
    await splitArrivedObject(deps, `uploads/${batchId}.csv`);
    const batchNow = async () => (await deps.batches.getBatch(batchId))!;
    const ended = async () => ['completed', 'failed'].includes((await batchNow()).state);

    // Chunk 1 (rows 26-50) goes to the dead-letter handler; every other message reaches the worker twice.
    const { emf, datapoints } = await captureEmf(() =>
      drive(batchId, ended, { deliverTwice: true, poisonChunks: [1] }),
    );
    expect(await batchNow()).toMatchObject({ state: 'completed', total: 60, succeeded: 33, failed: 27 });
    expect(total(datapoints, 'BatchRowsSucceeded')).toBe(33);
    expect(total(datapoints, 'BatchRowsFailed')).toBe(27);
    for (const { dimensions } of datapoints) expect(dimensions).toEqual({ service });
    // Finalising derives every row's token for the results file: none of them reaches a metric.
    expect(emf).not.toMatch(/inv-[A-Za-z0-9_-]{43}/);
  });

  test('job runs count by kind and outcome, once, whether they end in the runner or the dead-letter handler', async () => {
    const operations = (csv: string) =>
      startJob(deps, 'device-operations', { operation: 'info' }, AS_ADMIN, csv).then(({ id }) => ({ jobId: id }));
    const completed = await operations('Device ID,Token,Name,Operation\ndev-none,,,\n');
    const refused = await operations('Device ID,Name,Operation\ndev-none,x,info\n');
    const deadLettered = await operations('Device ID,Token,Name,Operation\n');
    const run = async (handler: SqsHandler, message: unknown) =>
      (await captureEmf(() => handler(sqsEvent(message), context))).datapoints;

    const kind = 'device-operations';
    expect(await run(jobRunner, completed)).toEqual([datapoint('JobRuns', { kind, outcome: 'succeeded' })]);
    expect(await run(jobRunner, refused)).toEqual([datapoint('JobRuns', { kind, outcome: 'failed' })]);
    expect(await run(jobDeadLetters, deadLettered)).toEqual([datapoint('JobRuns', { kind, outcome: 'failed' })]);
    // A job that has ended already counts no second run.
    expect(await run(jobRunner, completed)).toEqual([]);
    expect(await run(jobDeadLetters, refused)).toEqual([]);
  });
});
