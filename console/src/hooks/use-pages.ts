import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLatest } from './use-latest';

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface Pages<T> {
  items: T[];
  error?: unknown;
  loading: boolean;
  /** A cursor came back with the last page: there may be more. */
  hasMore: boolean;
  loadMore: () => void;
}

/**
 * A list read page by page: the first page on mount and whenever `key` changes (a string naming the filters, with a
 * version when the view wants it read again), the next one on `loadMore`, while the registry answers a cursor.
 */
export function usePages<T>(loadPage: (cursor?: string) => Promise<Page<T>>, key: string): Pages<T> {
  const latest = useLatest(loadPage);
  /** Counts the first pages read: a further page that arrives after the list started over is dropped. */
  const generation = useRef(0);
  const [state, setState] = useState<{ items: T[]; cursor?: string; error?: unknown; loading: boolean }>({
    items: [],
    loading: true,
  });
  useEffect(() => {
    generation.current++;
    let current = true;
    setState({ items: [], loading: true });
    latest.current().then(
      (page) => current && setState({ items: page.items, cursor: page.cursor, loading: false }),
      (error: unknown) => current && setState({ items: [], error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key, latest]);

  const { cursor, loading } = state;
  const loadMore = useCallback(() => {
    if (!cursor || loading) return;
    const started = generation.current;
    const current = () => generation.current === started;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    latest.current(cursor).then(
      (page) =>
        current() &&
        setState((previous) => ({ items: [...previous.items, ...page.items], cursor: page.cursor, loading: false })),
      (error: unknown) => current() && setState((previous) => ({ ...previous, error, loading: false })),
    );
  }, [cursor, loading, latest]);
  return { items: state.items, error: state.error, loading, hasMore: cursor !== undefined, loadMore };
}
