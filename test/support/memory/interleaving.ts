/**
 * Deterministic interleavings for the in-memory ports: a test holds the writes it names at their commit point
 * until it releases them, so "A plans, B commits, A commits" is a sequence written out, not a timing hoped for.
 */
export class Interleaving {
  private readonly holds: Hold[] = [];

  /** Holds every write named `operation` whose subject (an invitation or job id) `matches`, until released. */
  hold(operation: string, matches: (subject: string) => boolean = () => true): Hold {
    const hold = new Hold(operation, matches);
    this.holds.push(hold);
    return hold;
  }

  /** Called by a store before a write commits: yields to other work, and waits while a hold keeps it. */
  async pass(operation: string, subject: string): Promise<void> {
    await Promise.resolve();
    for (const hold of this.holds) if (hold.takes(operation, subject)) await hold.wait();
  }
}

export class Hold {
  private open = false;
  private waiting = 0;
  private readonly released: Promise<void>;
  private release_!: () => void;
  private readonly watchers: { count: number; notify: () => void }[] = [];

  constructor(
    private readonly operation: string,
    private readonly matches: (subject: string) => boolean,
  ) {
    this.released = new Promise((resolve) => (this.release_ = resolve));
  }

  takes(operation: string, subject: string): boolean {
    return !this.open && operation === this.operation && this.matches(subject);
  }

  async wait(): Promise<void> {
    this.waiting++;
    for (const watcher of this.watchers.filter((w) => w.count <= this.waiting)) watcher.notify();
    await this.released;
  }

  /** Resolves once `count` writes are waiting here. */
  reached(count = 1): Promise<void> {
    if (this.waiting >= count) return Promise.resolve();
    return new Promise((notify) => this.watchers.push({ count, notify }));
  }

  /** Lets every held write go on, and every later one through. */
  release(): void {
    this.open = true;
    this.release_();
  }
}
