import { readFileSync, rmSync } from 'node:fs';
import type { AuditEvent } from '../../lambdas/domain/audit';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { readLocalEvents, type LocalEvent } from '../../local/events/event-log';
import { stackFiles } from '../../local/stack/paths';
import { isRunning } from '../../local/stack/processes';
import { EVENTS, LOCAL_NAMES } from '../../system/resources';
import {
  type LaunchedStack,
  type StackPlace,
  launchStack,
  localCredentialsOf,
  newStackPlace,
  stopGracefully,
} from '../support/embedded-stack-process';
import { call, signedCall, type GatewayCall } from '../support/gateway-client';

/**
 * Every audit event goes out on the embedded stack's event bus (docs/SPEC.md §4.8), read from the audit table's
 * stream: what an administrator and a recipient do shows up in the event log, without secrets or addresses, and a
 * stack killed before it published what it wrote publishes it once it runs again. A kill right after the writes
 * comes before the publishing in most runs (the stream is read every 250 ms); whichever comes first, the events
 * must all be there once the stack runs again.
 */
jest.setTimeout(300_000);

let place: StackPlace;
let stack: LaunchedStack | undefined;

beforeAll(async () => {
  place = await newStackPlace();
  stack = await launchStack(place);
});

afterAll(async () => {
  if (stack) await stopGracefully(stack);
  rmSync(place.home, { recursive: true, force: true });
});

const admin = (request: GatewayCall) => signedCall(stack!.endpoint, localCredentialsOf(place.home), request);
const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function create(name: string): Promise<IssuedInvitation> {
  const answer = await admin({
    method: 'POST',
    path: '/invitations',
    ...json({ name, type: 'read_only', maxDevices: 2 }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as IssuedInvitation;
}

/** The registry's events in the stack's event log, oldest first. */
const published = () => readLocalEvents(place.home).filter(({ source }) => source === EVENTS.source);

/** Waits until the log holds an event `matches` picks for each of `count`, and answers the first of each. */
async function waitForEvents(what: string, matches: (event: LocalEvent) => boolean, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = published().filter(matches);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`no ${what} in the event log within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const detailOf = (event: LocalEvent) => event.detail as unknown as AuditEvent;

/** `count` invitations created at once, each answered before this resolves. */
const createMany = (count: number) => Promise.all(Array.from({ length: count }, (_, n) => create(`Crash ${n}`)));

const creationsOf = (ids: readonly string[]) =>
  published().filter(
    (event) => event['detail-type'] === 'invitation.created' && ids.includes(detailOf(event).targetId),
  );

/** The invitations of `ids` whose invitation.created is in the event log, once all are or after 60 s. */
async function publishedCreations(ids: readonly string[]): Promise<Set<string>> {
  const deadline = Date.now() + 60_000;
  const targets = () => new Set(creationsOf(ids).map((event) => detailOf(event).targetId));
  while (targets().size < ids.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return targets();
}

/** At least once: an event published before a kill may go out again, but always under its own event id. */
function expectOnceEach(ids: readonly string[]): void {
  expect(new Set(creationsOf(ids).map((event) => detailOf(event).eventId)).size).toBe(ids.length);
}

/** The audit log's events of a target, as GET /audit answers them. */
async function auditOf(targetId: string): Promise<AuditEvent[]> {
  const answer = await admin({ method: 'GET', path: '/audit', query: { targetId } });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { events: AuditEvent[] }).events;
}

describe('audit events on the event bus', () => {
  test('creating an invitation and registering a device publish invitation.created and device.registered, no token', async () => {
    const issued = await create('Events Lab');
    const accepted = await call(stack!.endpoint, {
      method: 'POST',
      path: '/accept',
      ...json({
        encoded: issued.encoded,
        device: { deviceId: 'device-events-1', hostname: 'lab-7', username: 'ada@example.org' },
      }),
    });
    expect(accepted.status).toBe(200);

    const [created] = await waitForEvents(
      'invitation.created',
      (event) => event['detail-type'] === 'invitation.created' && detailOf(event).targetId === issued.invitation.id,
    );
    const [registered] = await waitForEvents(
      'device.registered',
      (event) => event['detail-type'] === 'device.registered' && detailOf(event).targetId === 'device-events-1',
    );

    const [createdInLog] = await auditOf(issued.invitation.id).then((events) =>
      events.filter(({ action }) => action === 'invitation.created'),
    );
    expect(created).toMatchObject({ source: EVENTS.source, bus: LOCAL_NAMES.eventBus });
    expect(created!.detail).toEqual({ ...createdInLog, details: expect.objectContaining({ name: 'Events Lab' }) });
    expect(Object.keys(created!.detail).sort()).toEqual(
      ['action', 'actor', 'at', 'details', 'eventId', 'requestId', 'sourceIp', 'targetId'].sort(),
    );
    expect(registered!.detail).toMatchObject({
      action: 'device.registered',
      actor: `invitation:${issued.invitation.id}`,
      details: { invitationId: issued.invitation.id, hostname: 'lab-7', username: '[e-mail withheld]' },
    });

    const log = readFileSync(stackFiles(place.home).events, 'utf8');
    expect(log).not.toContain(issued.token);
    expect(log).not.toContain(issued.encoded);
    expect(log).not.toContain('ada@example.org');
  });

  test('its processes killed with kill -9 right after their writes: npm start again, and every event is published', async () => {
    const issued = await createMany(20);
    stack!.signalGroup('SIGKILL');
    await stack!.exited();

    // DynamoDB Local, in a process group of its own, lived on: npm start ends it and goes on from there.
    stack = await launchStack(place);
    const ids = issued.map(({ invitation }) => invitation.id);
    expect(await publishedCreations(ids)).toEqual(new Set(ids));
    expectOnceEach(ids);
  });

  test('every process killed, DynamoDB Local too: every event the audit log still holds is published', async () => {
    const issued = await createMany(20);
    const java = (JSON.parse(readFileSync(stackFiles(place.home).dynamodbPid, 'utf8')) as { pid: number }).pid;
    stack!.signalGroup('SIGKILL');
    process.kill(java, 'SIGKILL');
    await stack!.exited();
    // Its port is free once it is gone; npm start refuses a port still taken.
    while (isRunning(java)) await new Promise((resolve) => setTimeout(resolve, 50));

    stack = await launchStack(place);
    // DynamoDB Local killed outright may lose its last transactions, an invitation and its event together.
    const kept: string[] = [];
    for (const { invitation } of issued) {
      if ((await auditOf(invitation.id)).some(({ action }) => action === 'invitation.created'))
        kept.push(invitation.id);
    }
    expect(kept.length).toBeGreaterThan(issued.length / 2);
    const published = await publishedCreations(kept);
    expect(kept.filter((id) => !published.has(id))).toEqual([]);
  });
});
