import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handler as splitterHandler } from '../../../../lambdas/handlers/batch-splitter';
import { handler as workerHandler } from '../../../../lambdas/handlers/batch-worker';
import { ENV, EVENTS, LOCAL_AUDIT_TABLE_NAME, LOCAL_NAMES, LOCAL_TABLE_NAME } from '../../../../system/resources';
import { readLocalEvents } from '../../../../local/events/event-log';
import { startFauxqsEmulator } from '../../../../local/emulators/fauxqs';
import { projectRoot, stackFiles, type LocalCredentials, type StackPorts } from '../../../../local/stack/paths';
import { freeStackPorts } from '../../../../local/stack/ports';
import { startEmbeddedStack, type EmbeddedStack } from '../../../../local/stack/stack';
import { call, signedCall } from '../../../support/gateway-client';
import { waitUntil } from '../../support/wait';

// Stand-ins for the batch pipeline's functions, built on the environment the stack gives them.
jest.mock('../../../../lambdas/handlers/batch-splitter', () => ({ handler: jest.fn() }));
jest.mock('../../../../lambdas/handlers/batch-worker', () => ({ handler: jest.fn() }));
jest.mock('../../../../lambdas/handlers/batch-dead-letters', () => ({ handler: jest.fn() }));
const splitter = splitterHandler as unknown as jest.Mock<Promise<void>, [S3Event]>;
const worker = workerHandler as unknown as jest.Mock<Promise<unknown>, [SQSEvent]>;

const STARTUP_MS = 60_000;
const savedEnvironment = { ...process.env };
const home = mkdtempSync(join(tmpdir(), 'prism-stack-test-'));
const files = stackFiles(home);
let ports: StackPorts;
let stack: EmbeddedStack;

const start = () => startEmbeddedStack({ home, ports, quiet: true });
/** The row queue is FIFO: a message of its own group, deduplicated by its body. */
const fifo = (body: string) => ({
  MessageGroupId: body,
  MessageDeduplicationId: createHash('sha256').update(body).digest('hex'),
});
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeAll(async () => {
  ports = await freeStackPorts();
  stack = await start();
}, STARTUP_MS);

afterAll(async () => {
  await stack.stop();
  rmSync(home, { recursive: true, force: true });
  process.env = savedEnvironment;
}, STARTUP_MS);

describe('the embedded stack', () => {
  it('serves the API on its gateway port and records itself in stack.json', async () => {
    expect(stack.endpoint).toBe(`http://127.0.0.1:${ports.gateway}`);
    const response = await call(stack.endpoint, { method: 'GET', path: '/health' });
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(readJson(files.stack)).toEqual({
      endpoint: stack.endpoint,
      pid: process.pid,
      startedAt: expect.any(String),
    });
  });

  it('generates administrator credentials and a key ring, readable by their owner only', () => {
    expect(stack.credentials).toEqual({
      accessKeyId: expect.stringMatching(/^AKIA[A-Z0-9]{16}$/),
      secretAccessKey: expect.stringMatching(/^.{40}$/),
      region: 'us-east-1',
    });
    expect(readJson(files.credentials)).toEqual(stack.credentials);
    expect(readJson(files.keys)).toEqual({ currentKid: 'k1', k1: expect.stringMatching(/^[\w-]{64}$/) });
    expect([modeOf(files.credentials), modeOf(files.keys)]).toEqual([0o600, 0o600]);
  });

  it('refuses a second start on the same data folder while it runs', async () => {
    await expect(start()).rejects.toThrow(`already runs from ${home} (pid ${process.pid}`);
  });

  it(
    'keeps its data, credentials and keys across a restart',
    async () => {
      const created = await signedCall(stack.endpoint, stack.credentials, {
        method: 'POST',
        path: '/invitations',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'survives-restart', type: 'read_only' }),
      });
      const { invitation } = (await created.json()) as { invitation: { id: string } };
      const credentials: LocalCredentials = stack.credentials;
      const keys = readFileSync(files.keys, 'utf8');

      await stack.stop();
      expect(() => statSync(files.stack)).toThrow();
      stack = await start();

      expect(stack.credentials).toEqual(credentials);
      expect(readFileSync(files.keys, 'utf8')).toBe(keys);
      const read = await signedCall(stack.endpoint, stack.credentials, {
        method: 'GET',
        path: `/invitations/${invitation.id}`,
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ invitation: { id: invitation.id, name: 'survives-restart' } });
    },
    STARTUP_MS,
  );

  it('points the functions at its emulators, tables, buckets, queues, event bus and mail catcher, and its own registry URL', () => {
    expect(process.env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${ports.fauxqs}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${ports.fauxqs}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${ports.events}`,
      [ENV.tableName]: LOCAL_TABLE_NAME,
      [ENV.auditTableName]: LOCAL_AUDIT_TABLE_NAME,
      [ENV.bucketName]: LOCAL_NAMES.bucket,
      [ENV.auditArchiveBucketName]: LOCAL_NAMES.auditArchiveBucket,
      [ENV.rowQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.rowQueue}$`)),
      [ENV.jobQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.jobQueue}$`)),
      [ENV.archiveJobQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.archiveJobQueue}$`)),
      [ENV.eventBusName]: LOCAL_NAMES.eventBus,
      [ENV.registryApiUrl]: `${stack.endpoint}/registry`,
      [ENV.mailQueueUrl]: expect.stringMatching(new RegExp(`/${LOCAL_NAMES.mailQueue}$`)),
      [ENV.smtpUrl]: `smtp://127.0.0.1:${ports.smtp}`,
      [ENV.mailFrom]: 'prism-registry@localhost',
      [ENV.mailTemplates]: join(projectRoot(), 'templates'),
    });
    expect(stack.endpoint).toBe(`http://127.0.0.1:${ports.gateway}`);
    expect(stack.emulators).toEqual({
      dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      fauxqs: process.env.AWS_ENDPOINT_URL_S3,
      events: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE,
      smtp: process.env[ENV.smtpUrl],
      mailWeb: `http://127.0.0.1:${ports.mailWeb}`,
    });
  });

  it(
    'runs the batch pipeline: a dropped CSV reaches the splitter, its rows the worker, and the worker’s event the log',
    async () => {
      splitter.mockImplementation(async (event) => {
        const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
        const key = event.Records[0]!.s3.object.key;
        await sqs.send(
          new SendMessageCommand({ QueueUrl: process.env[ENV.rowQueueUrl], MessageBody: key, ...fifo(key) }),
        );
        sqs.destroy();
      });
      worker.mockImplementation(async (event) => {
        const events = new EventBridgeClient({});
        const entries = event.Records.map((record) => ({
          EventBusName: process.env[ENV.eventBusName],
          Source: EVENTS.source,
          DetailType: EVENTS.batchCompleted,
          Detail: JSON.stringify({ key: record.body }),
        }));
        await events.send(new PutEventsCommand({ Entries: entries }));
        events.destroy();
        return { batchItemFailures: [] };
      });

      const s3 = new S3Client({ forcePathStyle: true });
      await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: 'drop/pipeline.csv', Body: 'name\nx\n' }));
      s3.destroy();

      const event = await waitUntil('the worker’s event is logged', () =>
        readLocalEvents(home).find((logged) => logged.detail.key === 'drop/pipeline.csv'),
      );
      expect(event).toMatchObject({
        source: EVENTS.source,
        'detail-type': EVENTS.batchCompleted,
        bus: LOCAL_NAMES.eventBus,
      });
    },
    STARTUP_MS,
  );

  it(
    'delivers after a restart the messages queued while it was stopped, and at once those a crash left in flight',
    async () => {
      const received: string[] = [];
      worker.mockImplementation(async (event) => {
        received.push(...event.Records.map((record) => record.body));
        return { batchItemFailures: [] };
      });
      const queueUrl = process.env[ENV.rowQueueUrl];
      await stack.stop();
      const fauxqs = await startFauxqsEmulator({ port: ports.fauxqs, dataDir: files.fauxqs });
      const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
      for (const body of ['queued while stopped', 'in flight when it crashed']) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...fifo(body) }));
      }
      // Taken by a worker that then died: hidden for the queue's whole visibility timeout (30 minutes).
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      expect(Messages.map((message) => message.Body)).toContain('in flight when it crashed');
      sqs.destroy();
      await fauxqs.stop();

      stack = await start();
      await waitUntil('the worker gets both', () =>
        ['queued while stopped', 'in flight when it crashed'].every((body) => received.includes(body)),
      );
    },
    STARTUP_MS,
  );
});
