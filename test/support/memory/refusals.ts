/** The next calls a service refuses, as a test arms them: `refuse` arms, `check` throws for an armed call. */
export class Refusals {
  private count = 0;

  /** The next `count` calls are refused. */
  refuse(count = 1): void {
    this.count += count;
  }

  /** Whether this call is one to refuse (each armed refusal answers true once). */
  refusesThis(): boolean {
    if (this.count === 0) return false;
    this.count--;
    return true;
  }

  /** Throws `refusal()` if this call is one to refuse. */
  check(refusal: () => Error): void {
    if (this.refusesThis()) throw refusal();
  }
}
