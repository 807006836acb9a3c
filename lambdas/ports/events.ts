/** Publishes the registry's events for whoever subscribes. */
export interface EventPublisher {
  /** Publishes one event; a refused one is an error, so the caller retries. */
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
}
