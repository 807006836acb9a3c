import { useEffect, useState } from 'preact/hooks';
import { useLatest } from './use-latest';

/** How often a view asks again about work that is not final yet. */
export const POLL_INTERVAL_MS = 1000;

export interface Polled<T> {
  data?: T;
  error?: unknown;
  /** When `data` was answered (ms since the epoch). */
  at?: number;
}

/**
 * Loads `load()` now, then again `POLL_INTERVAL_MS` after each answer until `isFinal(answer)`; starts over when `key`
 * changes. A failed request keeps its error on show and is tried again at the same pace (the work goes on without
 * the console).
 */
export function usePoll<T>(load: () => Promise<T>, isFinal: (answer: T) => boolean, key: string): Polled<T> {
  const latest = useLatest({ load, isFinal });
  const [state, setState] = useState<Polled<T>>({});
  useEffect(() => {
    let timer: number | undefined;
    let current = true;
    setState({});
    const poll = async () => {
      let final = false;
      try {
        const data = await latest.current.load();
        if (!current) return;
        setState({ data, at: Date.now() });
        final = latest.current.isFinal(data);
      } catch (error) {
        if (!current) return;
        setState((previous) => ({ ...previous, error }));
      }
      if (!final) timer = window.setTimeout(poll, POLL_INTERVAL_MS);
    };
    void poll();
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [key, latest]);
  return state;
}
