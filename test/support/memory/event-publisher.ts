import type { EventPublisher } from '../../../lambdas/ports';
import { Refusals } from './refusals';

/** The event bus in memory: records every event published; `refuse` makes the next publications fail. */
export class MemoryEventPublisher implements EventPublisher {
  readonly published: { detailType: string; detail: Record<string, unknown> }[] = [];
  private readonly refusals = new Refusals();

  /** The next `count` publications are refused, as EventBridge refuses an entry. */
  refuse(count = 1): void {
    this.refusals.refuse(count);
  }

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    await Promise.resolve();
    this.refusals.check(() => new Error(`EventBridge refused the ${detailType} event: refused by the test`));
    this.published.push({ detailType, detail: structuredClone(detail) });
  }
}
