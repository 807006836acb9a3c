import type { BusEvent, EventPublisher, RefusedEvent } from '../../../lambdas/ports';
import { EVENTS, PUT_EVENTS_LIMITS } from '../../../system/resources';
import { Refusals } from './refusals';

/** The size EventBridge counts an entry at: source, detail type and detail, in UTF-8. */
const entryBytes = ({ detailType, detail }: BusEvent) =>
  Buffer.byteLength(`${EVENTS.source}${detailType}${JSON.stringify(detail)}`);

/**
 * The event bus in memory: records every event published and every put as it was made. As EventBridge, it refuses
 * a put over PutEvents' limits whole and an event without a detail type alone; `refuse` makes the next
 * publications (a `publish`, or a whole `putBatch`) fail, `refuseEvents` the next events put, one by one, and
 * `refuseEventsWhere` the events it picks, every time.
 */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: BusEvent[] = [];
  /** Every `putBatch` call's events, in order. */
  readonly puts: BusEvent[][] = [];
  private readonly refusals = new Refusals();
  private readonly eventRefusals = new Refusals();
  private refusedAlways: (event: BusEvent) => boolean = () => false;

  /** The next `count` publications are refused, as when EventBridge cannot be reached. */
  refuse(count = 1): void {
    this.refusals.refuse(count);
  }

  /** The next `count` events a put carries are refused, each alone, as EventBridge refuses an entry. */
  refuseEvents(count = 1): void {
    this.eventRefusals.refuse(count);
  }

  /** Every event `refused` picks is refused, each time it is put, from now on. */
  refuseEventsWhere(refused: (event: BusEvent) => boolean): void {
    this.refusedAlways = refused;
  }

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    await Promise.resolve();
    this.refusals.check(() => new Error(`EventBridge refused the ${detailType} event: refused by the test`));
    this.published.push({ detailType, detail: structuredClone(detail) });
  }

  async putBatch(events: readonly BusEvent[]): Promise<RefusedEvent[]> {
    await Promise.resolve();
    this.puts.push(structuredClone([...events]));
    this.refusals.check(() => new Error('EventBridge could not be reached: refused by the test'));
    const bytes = events.reduce((sum, event) => sum + entryBytes(event), 0);
    if (events.length < 1 || events.length > PUT_EVENTS_LIMITS.entries || bytes > PUT_EVENTS_LIMITS.bytes) {
      throw new Error(
        `PutEvents takes 1 to ${PUT_EVENTS_LIMITS.entries} entries of ${PUT_EVENTS_LIMITS.bytes} bytes at most`,
      );
    }
    return events.flatMap((event, index): RefusedEvent[] => {
      if (event.detailType === '') return [{ index, reason: 'InvalidArgument: DetailType is a required argument.' }];
      if (this.refusedAlways(event) || this.eventRefusals.refusesThis()) {
        return [{ index, reason: 'ThrottlingException: refused by the test' }];
      }
      this.published.push(structuredClone(event));
      return [];
    });
  }
}
