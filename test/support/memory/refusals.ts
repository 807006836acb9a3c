/** The next calls a service refuses, as a test arms them: `refuse` arms, `check` throws for an armed call. */
export class Refusals {
  private count = 0;

  /** The next `count` calls are refused. */
  refuse(count = 1): void {
    this.count += count;
  }

  /** Throws `refusal()` if this call is one to refuse. */
  check(refusal: () => Error): void {
    if (this.count === 0) return;
    this.count--;
    throw refusal();
  }
}
