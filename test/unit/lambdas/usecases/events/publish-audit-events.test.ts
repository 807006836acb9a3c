import { monotonicFactory } from 'ulid';
import { type AuditEvent, auditEvent } from '../../../../../lambdas/domain/audit';
import { publishedAuditEvent } from '../../../../../lambdas/domain/audit-publication';
import { entrySize, publishAuditEvents, putBatches } from '../../../../../lambdas/usecases/events/publish-audit-events';
import { PUBLISH_ATTEMPTS, PUT_EVENTS_LIMITS } from '../../../../../system/resources';
import { MemoryEventPublisher } from '../../../../support/memory/event-publisher';
import { AS_ADMIN } from '../../../../support/origins';

const newId = monotonicFactory();

const created = (details: AuditEvent['details'] = { name: 'Physics 101' }): AuditEvent =>
  auditEvent(AS_ADMIN, 'invitation.created', newId(), details, { eventId: newId(), at: '2031-03-04T10:00:00Z' });

const eventsOf = (count: number, details?: AuditEvent['details']) =>
  Array.from({ length: count }, () => created(details));

/** Runs the use case on `events` with the pauses it takes recorded, not waited for. */
async function publish(events: AuditEvent[], bus = new MemoryEventPublisher()) {
  const pauses: number[] = [];
  const outcome = await publishAuditEvents({ events: bus }, events, async (milliseconds) => {
    pauses.push(milliseconds);
  });
  return { outcome, bus, pauses };
}

const idsOf = (events: { detail: Record<string, unknown> }[]) => events.map(({ detail }) => detail.eventId);

describe('publishing audit events', () => {
  test('puts each event with its action as the detail type and the published form of the event as the detail', async () => {
    const events = eventsOf(3);
    const { outcome, bus } = await publish(events);

    expect(outcome).toEqual({ published: 3, unpublished: [] });
    expect(bus.published).toEqual(
      events.map((event) => ({ detailType: 'invitation.created', detail: publishedAuditEvent(event) })),
    );
  });

  test('never publishes a token, even one an event holds unmasked', async () => {
    const token = `inv-${'T'.repeat(43)}`;
    const unmasked = { ...created(), details: { name: token } };
    const { bus } = await publish([unmasked]);

    expect(bus.published).toHaveLength(1);
    expect(JSON.stringify(bus.published)).not.toContain(token);
  });

  test('puts at most ten events a call, in order', async () => {
    const events = eventsOf(25);
    const { outcome, bus } = await publish(events);

    expect(bus.puts.map((put) => put.length)).toEqual([10, 10, 5]);
    expect(bus.puts.flat().map(({ detail }) => detail.eventId)).toEqual(events.map(({ eventId }) => eventId));
    expect(outcome.published).toBe(25);
  });

  test('puts at most 256 KiB a call, counting source, detail type and detail as PutEvents does', async () => {
    // Words, not a run the audit log would mask as a secret.
    const events = eventsOf(10, { note: 'word '.repeat(12 * 1024) });
    const { outcome, bus } = await publish(events);

    expect(bus.puts.map((put) => put.length)).toEqual([4, 4, 2]);
    for (const put of bus.puts) {
      const bytes = put.reduce((sum, event) => sum + entrySize(event), 0);
      expect(bytes).toBeLessThanOrEqual(PUT_EVENTS_LIMITS.bytes);
    }
    expect(outcome).toEqual({ published: 10, unpublished: [] });
  });

  test('never puts an event larger than a whole call may be, and publishes the others', async () => {
    const [huge, ...others] = [created({ note: 'word '.repeat(PUT_EVENTS_LIMITS.bytes / 5) }), ...eventsOf(2)];
    const { outcome, bus } = await publish([huge!, ...others]);

    expect(outcome.published).toBe(2);
    expect(outcome.unpublished).toEqual([
      { eventId: huge!.eventId, reason: expect.stringContaining(`over PutEvents' ${PUT_EVENTS_LIMITS.bytes}`) },
    ]);
    expect(idsOf(bus.puts.flat())).not.toContain(huge!.eventId);
  });

  test('puts again only the events the bus refused, after a pause', async () => {
    const events = eventsOf(12);
    const bus = new MemoryEventPublisher();
    bus.refuseEvents(2);
    const { outcome, pauses } = await publish(events, bus);

    expect(outcome).toEqual({ published: 12, unpublished: [] });
    expect(bus.puts.map((put) => put.length)).toEqual([10, 2, 2]);
    expect(idsOf(bus.puts.slice(2).flat())).toEqual(events.slice(0, 2).map(({ eventId }) => eventId));
    expect(pauses).toEqual([100]);
    expect(new Set(idsOf(bus.published)).size).toBe(12);
  });

  test('puts again every event of a call that failed whole', async () => {
    const events = eventsOf(15);
    const bus = new MemoryEventPublisher();
    bus.refuse(1);
    const { outcome } = await publish(events, bus);

    expect(outcome).toEqual({ published: 15, unpublished: [] });
    expect(bus.puts.map((put) => put.length)).toEqual([10, 5, 10]);
    expect(idsOf(bus.published).sort()).toEqual(events.map(({ eventId }) => eventId).sort());
  });

  test(`answers the events still refused after ${PUBLISH_ATTEMPTS} puts, with the bus's reason, waiting longer each time`, async () => {
    const events = eventsOf(4);
    const bus = new MemoryEventPublisher();
    bus.refuseEventsWhere(({ detail }) => detail.eventId === events[0]!.eventId);
    const { outcome, pauses } = await publish(events, bus);

    expect(bus.puts).toHaveLength(PUBLISH_ATTEMPTS);
    expect(outcome).toEqual({
      published: 3,
      unpublished: [{ eventId: events[0]!.eventId, reason: 'ThrottlingException: refused by the test' }],
    });
    expect(pauses).toEqual([100, 200]);
  });

  test('answers every event of calls that keep failing, with the error', async () => {
    const bus = new MemoryEventPublisher();
    bus.refuse(PUBLISH_ATTEMPTS);
    const events = eventsOf(3);
    const { outcome } = await publish(events, bus);

    expect(outcome.published).toBe(0);
    expect(outcome.unpublished).toEqual(
      events.map(({ eventId }) => ({ eventId, reason: 'EventBridge could not be reached: refused by the test' })),
    );
    expect(bus.published).toEqual([]);
  });

  test('puts nothing when there is nothing to publish', async () => {
    const { outcome, bus } = await publish([]);
    expect(outcome).toEqual({ published: 0, unpublished: [] });
    expect(bus.puts).toEqual([]);
  });
});

describe('cutting events into puts', () => {
  test('keeps their order, starting a new put at ten entries or where the next would pass 256 KiB', () => {
    const kib = 1024;
    const sizes = [100 * kib, 100 * kib, 57 * kib, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 256 * kib];
    const batches = putBatches(
      sizes.map((size, index) => ({ index, size })),
      ({ size }) => size,
    );
    expect(batches.map((batch) => batch.map(({ index }) => index))).toEqual([
      [0, 1],
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [12, 13],
      [14],
    ]);
  });
});
