import type { InvitationPage, InvitationView } from '../../../../lambdas/contract/views';

/**
 * The delegation tree as the console has read it so far: the invitations met, each level's children as far as they
 * were paged, which nodes are open. The tree reads a level only when it is first opened.
 */

/** The key of the top level: the invitations without a parent. */
export const TOP = '';

export interface Level {
  ids: string[];
  /** Where the next page starts, while the registry has more. */
  cursor?: string;
  loading: boolean;
  loaded: boolean;
  error?: unknown;
}

export interface TreeState {
  nodes: Record<string, InvitationView>;
  levels: Record<string, Level>;
  open: Record<string, boolean>;
}

export type TreeAction =
  | { type: 'loading'; parent: string }
  | { type: 'loaded'; parent: string; page: InvitationPage }
  | { type: 'failed'; parent: string; error: unknown }
  | { type: 'toggle'; id: string; open: boolean };

export const emptyTree: TreeState = { nodes: {}, levels: {}, open: {} };

const EMPTY_LEVEL: Level = { ids: [], loading: false, loaded: false };

export const levelOf = (state: TreeState, parent: string): Level => state.levels[parent] ?? EMPTY_LEVEL;

export function reduceTree(state: TreeState, action: TreeAction): TreeState {
  const level = levelOf(state, action.type === 'toggle' ? action.id : action.parent);
  switch (action.type) {
    case 'loading':
      return { ...state, levels: { ...state.levels, [action.parent]: { ...level, loading: true, error: undefined } } };
    case 'failed':
      return {
        ...state,
        levels: { ...state.levels, [action.parent]: { ...level, loading: false, error: action.error } },
      };
    case 'loaded': {
      const nodes = { ...state.nodes };
      for (const invitation of action.page.invitations) nodes[invitation.id] = invitation;
      const ids = [
        ...level.ids,
        ...action.page.invitations.map(({ id }) => id).filter((id) => !level.ids.includes(id)),
      ];
      const loaded: Level = { ids, cursor: action.page.cursor, loading: false, loaded: true };
      return { ...state, nodes, levels: { ...state.levels, [action.parent]: loaded } };
    }
    case 'toggle':
      return { ...state, open: { ...state.open, [action.id]: action.open } };
  }
}

/** An invitation may have children once anything was ever created below it. */
export const mayHaveChildren = (invitation: InvitationView): boolean => invitation.descendantsCreated > 0;

/** A row the keyboard moves over: an invitation, or the "load more" of a level. */
export type Row =
  | { kind: 'node'; key: string; id: string; level: number; parent: string }
  | { kind: 'more'; key: string; parent: string; level: number };

export const moreKey = (parent: string) => `more:${parent}`;

/** The rows on show, in reading order: each open node's children under it, to any depth. */
export function visibleRows(state: TreeState, parent = TOP, level = 1): Row[] {
  const { ids, cursor } = levelOf(state, parent);
  const rows: Row[] = [];
  for (const id of ids) {
    rows.push({ kind: 'node', key: id, id, level, parent });
    if (state.open[id]) rows.push(...visibleRows(state, id, level + 1));
  }
  if (cursor !== undefined) rows.push({ kind: 'more', key: moreKey(parent), parent, level });
  return rows;
}

/** The ancestors of `id` the tree has read, from its parent up to the top. */
export function ancestorsInTree(state: TreeState, id: string): InvitationView[] {
  const ancestors: InvitationView[] = [];
  for (let parent = state.nodes[id]?.parentId; parent; parent = state.nodes[parent]?.parentId) {
    const node = state.nodes[parent];
    if (!node) break;
    ancestors.push(node);
  }
  return ancestors;
}
