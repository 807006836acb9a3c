import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as Verifier } from 'standardwebhooks';
import type { CreatedWebhook, IssuedInvitation, WebhookDeliveryPage } from '../../lambdas/contract/views';
import { ENV } from '../../system/resources';
import {
  type LaunchedStack,
  type StackPlace,
  launchStack,
  localCredentialsOf,
  newStackPlace,
  stopGracefully,
} from '../support/embedded-stack-process';
import { runCliAt } from '../support/cli-in-process';
import { call, signedCall, type GatewayCall } from '../support/gateway-client';

/**
 * Webhooks end to end on the embedded stack (docs/SPEC.md §4.8): receivers on 127.0.0.1 get what administrators
 * and recipients do, signed so `standardwebhooks` verifies it; failed deliveries are retried on the schedule (one
 * second apart here) and end dead-lettered; a Slack endpoint gets a readable line; bad endpoints are refused.
 */
jest.setTimeout(300_000);

/** Three attempts, a second apart. */
const RETRY_SCHEDULE = '1,1';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let place: StackPlace;
let stack: LaunchedStack | undefined;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes a path answers, in turn; 204 once they run out. */
const answers = new Map<string, number[]>();

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers as Record<string, string>, body });
      const queued = answers.get(path) ?? [];
      response.writeHead(queued.length > 0 ? queued.shift()! : 204).end('receiver says hello');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  place = await newStackPlace({ [ENV.webhookRetrySchedule]: RETRY_SCHEDULE });
  stack = await launchStack(place);
});

afterAll(async () => {
  if (stack) await stopGracefully(stack);
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
  rmSync(place.home, { recursive: true, force: true });
});

const admin = (request: GatewayCall) => signedCall(stack!.endpoint, localCredentialsOf(place.home), request);
const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function addWebhook(path: string, events: string[], extra: Record<string, unknown> = {}) {
  const answer = await admin({
    method: 'POST',
    path: '/webhooks',
    ...json({ url: `${receiverUrl}${path}`, events, ...extra }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as CreatedWebhook;
}

async function create(name: string): Promise<IssuedInvitation> {
  const answer = await admin({
    method: 'POST',
    path: '/invitations',
    ...json({ name, type: 'read_only', maxDevices: 2 }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as IssuedInvitation;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const typeOf = ({ body }: Received) => (JSON.parse(body) as { type: string }).type;
const at = (path: string) => received.filter((request) => request.path === path);
const receivedOf = (path: string, type: string) => at(path).filter((request) => typeOf(request) === type);

async function deliveriesOf(id: string) {
  const answer = await admin({ method: 'GET', path: `/webhooks/${id}/deliveries` });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as WebhookDeliveryPage).deliveries;
}

test('device registrations, revocations and batch completions arrive signed, with no secret in them', async () => {
  const { webhook, secret } = await addWebhook('/standard', [
    'device.registered',
    'invitation.revoked',
    'batch.completed',
  ]);
  expect(secret).toMatch(/^whsec_/);

  const issued = await create('Webhook Lab');
  const accepted = await call(stack!.endpoint, {
    method: 'POST',
    path: '/accept',
    ...json({
      encoded: issued.encoded,
      device: { deviceId: 'device-hook-1', hostname: 'lab-7', username: 'ada@example.org' },
    }),
  });
  expect(accepted.status).toBe(200);
  const revoked = await admin({
    method: 'POST',
    path: `/invitations/${issued.invitation.id}/revoke`,
    ...json({ reason: 'done' }),
  });
  expect(revoked.status).toBe(200);
  const batch = await admin({
    method: 'POST',
    path: '/batches',
    headers: { 'content-type': 'text/csv' },
    body: 'Name,Type,ValidDays,CanInvite,Transferable,DeviceBound,MaxDevices\nHook-Member,read_write,30,no,no,yes,1\n',
  });
  expect(batch.status).toBe(202);

  for (const type of ['device.registered', 'invitation.revoked', 'batch.completed']) {
    await waitFor(`${type} at the receiver`, () => receivedOf('/standard', type)[0]);
  }
  const verifier = new Verifier(secret);
  for (const request of at('/standard')) {
    expect(verifier.verify(request.body, request.headers)).toMatchObject({ data: expect.any(Object) });
    expect(request.body).not.toContain(issued.token);
    expect(request.body).not.toContain(issued.encoded);
    expect(request.body).not.toContain('ada@example.org');
  }
  const [registered] = receivedOf('/standard', 'device.registered');
  expect(JSON.parse(registered!.body)).toMatchObject({
    type: 'device.registered',
    data: { targetId: 'device-hook-1', details: { invitationId: issued.invitation.id, hostname: 'lab-7' } },
  });
  expect(receivedOf('/standard', 'invitation.created')).toEqual([]);
  await waitFor('every delivery recorded delivered', async () => {
    const deliveries = await deliveriesOf(webhook.id);
    return deliveries.length === 3 && deliveries.every(({ status }) => status === 'delivered') ? deliveries : undefined;
  });
});

test('a receiver answering 500 twice gets the event on the third attempt, with the same webhook-id', async () => {
  answers.set('/flaky', [500, 500]);
  // Subscribed to what no other test does: only its test event reaches it.
  const { webhook, secret } = await addWebhook('/flaky', ['emergency.revoke_all']);
  const test = await admin({ method: 'POST', path: `/webhooks/${webhook.id}/test`, ...json({}) });
  expect(test.status).toBe(202);
  const { deliveryId } = (await test.json()) as { deliveryId: string };

  const [delivery] = await waitFor('the third attempt delivered', async () => {
    const deliveries = await deliveriesOf(webhook.id);
    return deliveries[0]?.status === 'delivered' ? deliveries : undefined;
  });
  expect(delivery).toMatchObject({ id: deliveryId, action: 'webhook.test' });
  expect(delivery!.attempts.map(({ statusCode }) => statusCode)).toEqual([500, 500, 204]);
  expect(delivery!.attempts[0]!.response).toBe('receiver says hello');
  const attempts = receivedOf('/flaky', 'webhook.test');
  expect(attempts.map(({ headers }) => headers['webhook-id'])).toEqual([deliveryId, deliveryId, deliveryId]);
  expect(new Verifier(secret).verify(attempts[2]!.body, attempts[2]!.headers)).toBeDefined();
});

test('an always-down receiver ends with a dead-lettered delivery', async () => {
  answers.set('/down', [503, 503, 503, 503, 503]);
  const { webhook } = await addWebhook('/down', ['emergency.revoke_all']);
  expect((await admin({ method: 'POST', path: `/webhooks/${webhook.id}/test`, ...json({}) })).status).toBe(202);
  const [delivery] = await waitFor('the delivery dead-lettered', async () => {
    const deliveries = await deliveriesOf(webhook.id);
    return deliveries[0]?.status === 'dead_lettered' ? deliveries : undefined;
  });
  expect(delivery!.attempts).toHaveLength(3);
  expect(delivery).not.toHaveProperty('nextAttemptAt');
  // No fourth attempt: the queue's redrive took it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(receivedOf('/down', 'webhook.test')).toHaveLength(3);
});

test('a Slack endpoint gets one readable line in the incoming-webhook format', async () => {
  await addWebhook('/slack', ['invitation.revoked'], { kind: 'slack' });
  const issued = await create('Slack Lab');
  expect(
    (await admin({ method: 'POST', path: `/invitations/${issued.invitation.id}/revoke`, ...json({ reason: 'left' }) }))
      .status,
  ).toBe(200);
  const message = await waitFor('the Slack message', () => at('/slack')[0]);
  expect(JSON.parse(message.body)).toEqual({ text: `Invitation ${issued.invitation.id} revoked: left` });
  expect(message.headers).not.toHaveProperty('webhook-signature');
});

test('the CLI adds, tests, lists the deliveries of and removes an endpoint', async () => {
  const cli = (...args: string[]) => runCliAt(stack!.endpoint, place.home, args);
  const added = await cli('--json', 'webhooks', 'add', `${receiverUrl}/cli`, '--events', 'emergency.revoke_all');
  expect(added.code).toBe(0);
  expect(added.stderr).toContain('shown this once');
  const { webhook, secret } = JSON.parse(added.stdout) as CreatedWebhook;
  expect((await cli('webhooks', 'list')).stdout).toContain(webhook.id);
  const tested = await cli('webhooks', 'test', webhook.id);
  expect(tested.stdout).toMatch(/^Test delivery \S+ queued/);
  const request = await waitFor('the CLI test delivery', () => at('/cli')[0]);
  expect(new Verifier(secret).verify(request.body, request.headers)).toMatchObject({ type: 'webhook.test' });
  await waitFor('the delivery listed as delivered', async () => {
    const { stdout } = await cli('webhooks', 'deliveries', webhook.id);
    return /webhook\.test\s+delivered\s+1\s+204/.test(stdout) ? stdout : undefined;
  });
  expect((await cli('webhooks', 'remove', webhook.id)).code).toBe(0);
  const again = await cli('webhooks', 'remove', webhook.id);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain('Webhook not found');
});

describe('refused and removed endpoints', () => {
  test.each([
    [
      'a URL with credentials',
      { url: 'https://user:pass@hooks.example.org/in', events: ['*'] },
      'url: must not carry credentials',
    ],
    [
      'a 20 KB URL',
      { url: `https://hooks.example.org/${'a'.repeat(20_000)}`, events: ['*'] },
      'url: must be at most 2048 characters',
    ],
    ['http to another host', { url: 'http://hooks.example.org/in', events: ['*'] }, 'url: must use https'],
    [
      'an unknown action',
      { url: 'https://hooks.example.org/in', events: ['invitation.exploded'] },
      'invitation.exploded',
    ],
  ])('%s is a 400 saying why', async (_what, body, message) => {
    const answer = await admin({ method: 'POST', path: '/webhooks', ...json(body) });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  test('a token-shaped description is masked, and stays out of the audit log and the deliveries', async () => {
    const issued = await create('Token Lab');
    const { webhook } = await addWebhook('/described', ['*'], { description: `copy of ${issued.token}` });
    expect(webhook.description).not.toContain(issued.token);
    expect(JSON.stringify(await (await admin({ method: 'GET', path: '/webhooks' })).json())).not.toContain(
      issued.token,
    );
    const audit = await admin({ method: 'GET', path: '/audit', query: { targetId: webhook.id } });
    const log = JSON.stringify(await audit.json());
    expect(log).toContain('webhook.created');
    expect(log).not.toContain(issued.token);
    expect(log).not.toContain('whsec_');
    expect((await admin({ method: 'POST', path: `/webhooks/${webhook.id}/test`, ...json({}) })).status).toBe(202);
    const delivered = await waitFor('the test delivery', () => at('/described')[0]);
    expect(delivered.body).not.toContain(issued.token);
  });

  test('a removed endpoint gets no further deliveries, and its secret is never shown again', async () => {
    const { webhook } = await addWebhook('/removed', ['invitation.created']);
    const list = await admin({ method: 'GET', path: '/webhooks' });
    expect(JSON.stringify(await list.json())).not.toContain('whsec_');
    await create('Before removal');
    await waitFor('the first delivery', () => at('/removed')[0]);
    expect((await admin({ method: 'DELETE', path: `/webhooks/${webhook.id}` })).status).toBe(200);
    const before = at('/removed').length;
    await create('After removal');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(at('/removed')).toHaveLength(before);
    expect((await admin({ method: 'GET', path: `/webhooks/${webhook.id}/deliveries` })).status).toBe(404);
  });
});
