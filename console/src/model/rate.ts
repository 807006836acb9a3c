/** One reading of a batch's progress: rows done at a time. */
export interface Sample {
  at: number;
  done: number;
}

/** How far back the rate looks: long enough to smooth the steps of chunked progress, short enough to follow it. */
export const RATE_WINDOW_MS = 10_000;

/** The readings kept for the rate: `samples` and the new one, without those older than the window before it. */
export function addSample(samples: readonly Sample[], sample: Sample): Sample[] {
  return [...samples, sample].filter(({ at }) => at >= sample.at - RATE_WINDOW_MS);
}

/** Rows per second over the readings kept, once two of them lie at least a second apart. */
export function rowsPerSecond(samples: readonly Sample[]): number | undefined {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < 1000) return undefined;
  return ((last.done - first.done) * 1000) / (last.at - first.at);
}
