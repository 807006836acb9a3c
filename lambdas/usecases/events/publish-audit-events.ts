import type { AuditEvent } from '../../domain/audit';
import { publishedAuditEvent } from '../../domain/audit-publication';
import type { BusEvent } from '../../ports/events';
import { EVENTS, PUBLISH_ATTEMPTS, PUT_EVENTS_LIMITS } from '../../config';
import type { Deps } from '../deps';

/** An audit event the bus did not take, and the last reason why. */
export interface UnpublishedEvent {
  eventId: string;
  reason: string;
}

export interface AuditPublication {
  published: number;
  unpublished: UnpublishedEvent[];
}

/** Waits before another attempt; tests pass one that returns at once. */
export type Pause = (milliseconds: number) => Promise<void>;

const sleep: Pause = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The size PutEvents counts an entry at against PUT_EVENTS_LIMITS.bytes: its source, detail type and detail, in UTF-8. */
export const entrySize = ({ detailType, detail }: BusEvent): number =>
  Buffer.byteLength(EVENTS.source) + Buffer.byteLength(detailType) + Buffer.byteLength(JSON.stringify(detail));

/** `items` in order, cut into puts of at most PUT_EVENTS_LIMITS.entries entries and PUT_EVENTS_LIMITS.bytes. */
export function putBatches<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (batch.length === PUT_EVENTS_LIMITS.entries || (batch.length > 0 && bytes + size > PUT_EVENTS_LIMITS.bytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

interface Entry {
  eventId: string;
  event: BusEvent;
  size: number;
}

type Refused = Entry & { reason: string };

/** One put of `batch`: the entries the bus refused, or all of them when the call failed, each with why. */
async function put(deps: Pick<Deps, 'events'>, batch: Entry[]): Promise<Refused[]> {
  try {
    const refused = await deps.events.putBatch(batch.map(({ event }) => event));
    return refused.flatMap(({ index, reason }) => {
      const entry = batch[index];
      return entry ? [{ ...entry, reason }] : [];
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return batch.map((entry) => ({ ...entry, reason }));
  }
}

/** Puts every entry, in puts within PutEvents' limits side by side: the entries refused. */
const putAll = async (deps: Pick<Deps, 'events'>, entries: Entry[]): Promise<Refused[]> =>
  (await Promise.all(putBatches(entries, ({ size }) => size).map((batch) => put(deps, batch)))).flat();

/**
 * Publishes each audit event on the event bus (docs/SPEC.md §4.8): `detail-type` its action, `detail` the event as
 * `publishedAuditEvent` lets it out. Only the events the bus refused, or those of a put that failed whole, are put
 * again, up to PUBLISH_ATTEMPTS puts each, waiting a little longer each time. Answers how many were published and
 * which were not, with why; an event over PutEvents' size limit is never put. Publishing is at least once: a
 * caller that tries the unpublished again may repeat others, and consumers tell events apart by `detail.eventId`.
 */
export async function publishAuditEvents(
  deps: Pick<Deps, 'events'>,
  events: readonly AuditEvent[],
  pause: Pause = sleep,
): Promise<AuditPublication> {
  const entries = events.map((audited): Entry => {
    const event = { detailType: audited.action, detail: { ...publishedAuditEvent(audited) } };
    return { eventId: audited.eventId, event, size: entrySize(event) };
  });
  const fits = ({ size }: Entry) => size <= PUT_EVENTS_LIMITS.bytes;
  const tooLarge = entries
    .filter((entry) => !fits(entry))
    .map(({ eventId, size }) => ({ eventId, reason: `${size} bytes, over PutEvents' ${PUT_EVENTS_LIMITS.bytes}` }));
  let refused = await putAll(deps, entries.filter(fits));
  for (let attempt = 2; attempt <= PUBLISH_ATTEMPTS && refused.length > 0; attempt++) {
    await pause(100 * 2 ** (attempt - 2));
    refused = await putAll(deps, refused);
  }
  const unpublished = [...tooLarge, ...refused.map(({ eventId, reason }) => ({ eventId, reason }))];
  return { published: entries.length - unpublished.length, unpublished };
}
