import { words } from './format';

/**
 * A state or status as a word, tinted by its class: the word says it, the colour only repeats it (docs/CONSOLE.md,
 * accessibility).
 */
export function Status({ value }: { value: string }) {
  return <span class={`status status-${value.replace(/[^a-z_]/g, '')}`}>{words(value)}</span>;
}
