import { useRef } from 'preact/hooks';

/** A ref always holding the latest `value`: effects read a callback through it without restarting when it changes. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
