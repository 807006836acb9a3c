/** An event for the registry's bus: its detail type and its detail (the adapter adds the registry's source). */
export interface BusEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

/** An event of a `putBatch` the bus refused: its place in the batch, and the bus's reason. */
export interface RefusedEvent {
  index: number;
  reason: string;
}

/** Publishes the registry's events for whoever subscribes. */
export interface EventPublisher {
  /** Publishes one event; a refused one is an error, so the caller retries. */
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
  /**
   * Puts `events` on the bus in one call (PUT_EVENTS_LIMITS: the caller keeps within them) and answers those the
   * bus refused, which are not published; the others are. A call that fails as a whole is an error.
   */
  putBatch(events: readonly BusEvent[]): Promise<RefusedEvent[]>;
}
