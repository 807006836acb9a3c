import type { EventPublisher } from '../../../lambdas/ports';

/** The event bus in memory: records every event published; `refuse` makes the next publications fail. */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: { detailType: string; detail: Record<string, unknown> }[] = [];
  private refusals = 0;

  /** The next `count` publications are refused, as EventBridge refuses an entry. */
  refuse(count = 1): void {
    this.refusals += count;
  }

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    await Promise.resolve();
    if (this.refusals > 0) {
      this.refusals--;
      throw new Error(`EventBridge refused the ${detailType} event: refused by the test`);
    }
    this.published.push({ detailType, detail: structuredClone(detail) });
  }
}
