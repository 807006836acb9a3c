import { useEffect, useState } from 'preact/hooks';
import { useLatest } from './use-latest';

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
}

/**
 * Loads `load()` when the component mounts and again whenever `key` changes (a string naming what is loaded, with a
 * version when the view wants it read again). The previous answer stays on show while the next one loads; an answer
 * that arrives after a newer load started, or after unmounting, is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const latest = useLatest(load);
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    latest.current().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key, latest]);
  return state;
}
