import { readFileSync, rmSync } from 'node:fs';
import type { AuditEvent } from '../../lambdas/domain/audit';
import type { IssuedInvitation } from '../../lambdas/contract/views';
import { readLocalEvents, type LocalEvent } from '../../local/events/event-log';
import { type LocalCredentials, stackFiles } from '../../local/stack/paths';
import { EVENTS, LOCAL_NAMES } from '../../system/resources';
import {
  type LaunchedStack,
  type StackPlace,
  launchStack,
  newStackPlace,
  stopGracefully,
} from '../support/embedded-stack-process';
import { call, signedCall, type GatewayCall } from '../support/gateway-client';

/**
 * Every audit event goes out on the embedded stack's event bus (docs/SPEC.md §4.8), read from the audit table's
 * stream: what an administrator and a recipient do shows up in the event log, without secrets or addresses, and a
 * stack killed before it published what it wrote publishes it once it runs again.
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

const credentials = () => JSON.parse(readFileSync(stackFiles(place.home).credentials, 'utf8')) as LocalCredentials;
const admin = (request: GatewayCall) => signedCall(stack!.endpoint, credentials(), request);
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

  test('killed (kill -9, the emulators too) right after its writes, then started again: no event is lost', async () => {
    const issued = await Promise.all(Array.from({ length: 20 }, (_, n) => create(`Crash ${n}`)));
    const java = (JSON.parse(readFileSync(stackFiles(place.home).dynamodbPid, 'utf8')) as { pid: number }).pid;
    stack!.signalGroup('SIGKILL');
    process.kill(java, 'SIGKILL');
    await stack!.exited();

    stack = await launchStack(place);
    const ids = new Set(issued.map(({ invitation }) => invitation.id));
    const createdOf = (event: LocalEvent) =>
      event['detail-type'] === 'invitation.created' && ids.has(detailOf(event).targetId);
    const deadline = Date.now() + 60_000;
    while (
      new Set(
        published()
          .filter(createdOf)
          .map((event) => detailOf(event).targetId),
      ).size < ids.size
    ) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const publishedIds = new Set(
      published()
        .filter(createdOf)
        .map((event) => detailOf(event).targetId),
    );
    expect([...ids].filter((id) => !publishedIds.has(id))).toEqual([]);
    // At least once: an event published before the kill may go out again, under the same event id.
    const eventIds = published()
      .filter(createdOf)
      .map((event) => detailOf(event).eventId);
    expect(new Set(eventIds).size).toBe(ids.size);
  });
});
