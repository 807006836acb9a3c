import { type Row, type TreeState, TOP, mayHaveChildren } from './tree-state';

/** What a key pressed on a tree row asks for (the ARIA tree pattern's keys). */
export type Intent =
  | { focus: string }
  | { open: string }
  | { close: string }
  /** Enter or Space: go to the invitation, or load the level's next page. */
  | { activate: Row };

export function intentOf(key: string, rows: readonly Row[], index: number, state: TreeState): Intent | undefined {
  const row = rows[index];
  if (!row) return undefined;
  const focus = (target: Row | undefined) => (target ? { focus: target.key } : undefined);
  const parentRow = () => (row.parent === TOP ? undefined : rows.find((other) => other.key === row.parent));
  switch (key) {
    case 'ArrowDown':
      return focus(rows[index + 1]);
    case 'ArrowUp':
      return focus(rows[index - 1]);
    case 'Home':
      return focus(rows[0]);
    case 'End':
      return focus(rows[rows.length - 1]);
    case 'ArrowRight': {
      if (row.kind !== 'node') return undefined;
      const node = state.nodes[row.id];
      if (!node || !mayHaveChildren(node)) return undefined;
      if (!state.open[row.id]) return { open: row.id };
      const next = rows[index + 1];
      return next?.parent === row.id ? focus(next) : undefined;
    }
    case 'ArrowLeft':
      if (row.kind === 'node' && state.open[row.id]) return { close: row.id };
      return focus(parentRow());
    case 'Enter':
    case ' ':
      return { activate: row };
    default:
      return undefined;
  }
}
