import type { TargetedKeyboardEvent } from 'preact';
import { useCallback, useEffect, useReducer, useState } from 'preact/hooks';
import { type InvitationFilters, listInvitations } from '../../api/registry';
import { href, navigate } from '../../router';
import { ErrorAlert } from '../../ui/error-alert';
import { intentOf } from './tree-keys';
import { NodeLine } from './tree-node';
import {
  type Row,
  TOP,
  type TreeState,
  ancestorsInTree,
  emptyTree,
  levelOf,
  mayHaveChildren,
  moreKey,
  reduceTree,
  visibleRows,
} from './tree-state';

const domId = (key: string) => `tree-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * The delegation tree (ARIA tree pattern): the invitations without a parent at the top, each node opened on demand
 * (its children read then, a page at a time), to any depth. One item at a time is in the tab order; the arrow keys
 * move, open and close, Enter goes to the invitation (or loads the next page).
 */
export function DelegationTree({ matching }: { matching?: InvitationFilters }) {
  const [state, dispatch] = useReducer(reduceTree, emptyTree);
  const [active, setActive] = useState<string>();
  /** A "Load more" under way: its level and how many invitations the level held, to focus the first one it adds. */
  const [more, setMore] = useState<{ parent: string; held: number }>();

  const load = useCallback(
    (parent: string, cursor?: string) => {
      dispatch({ type: 'loading', parent });
      listInvitations(parent === TOP ? (matching ?? { roots: true }) : { parentId: parent }, cursor).then(
        (page) => dispatch({ type: 'loaded', parent, page }),
        (error: unknown) => dispatch({ type: 'failed', parent, error }),
      );
    },
    [matching],
  );
  useEffect(() => load(TOP), [load]);

  // The "Load more" item goes once its level is whole: focus moves on to the first invitation the page brought.
  useEffect(() => {
    const level = more && levelOf(state, more.parent);
    if (!more || !level || level.loading) return;
    setMore(undefined);
    const first = level.ids[more.held];
    if (first === undefined) return;
    setActive(first);
    document.getElementById(domId(first))?.focus();
  }, [state, more]);

  const toggle = (id: string, open: boolean) => {
    dispatch({ type: 'toggle', id, open });
    if (open && !levelOf(state, id).loaded && !levelOf(state, id).loading) load(id);
  };
  const activate = (row: Row) => {
    const level = levelOf(state, row.parent);
    if (row.kind === 'node') navigate(href.invitation(row.id));
    else if (!level.loading) {
      setMore({ parent: row.parent, held: level.ids.length });
      load(row.parent, level.cursor);
    }
  };

  const rows = visibleRows(state);
  const tabStop = rows.some((row) => row.key === active) ? active : rows[0]?.key;

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLUListElement>) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const index = rows.findIndex((row) => row.key === item?.dataset.key);
    const intent = intentOf(event.key, rows, index, state);
    if (!intent) return;
    event.preventDefault();
    if ('focus' in intent) {
      setActive(intent.focus);
      document.getElementById(domId(intent.focus))?.focus();
    } else if ('open' in intent) toggle(intent.open, true);
    else if ('close' in intent) toggle(intent.close, false);
    else activate(intent.activate);
  };
  const onFocusIn = (event: FocusEvent) => {
    const key = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]')?.dataset.key;
    if (key !== undefined) setActive(key);
  };

  const top = levelOf(state, TOP);
  return (
    <section aria-labelledby="tree-heading">
      <h2 id="tree-heading">{matching ? 'Matching invitations' : 'Delegation tree'}</h2>
      <p class="hint">
        {matching
          ? 'The invitations that match, each with what was delegated below it.'
          : 'Invitations without a parent, with what was delegated below them.'}{' '}
        Arrow keys move through the tree, Right and Left open and close a node, Enter opens an invitation.
      </p>
      <ErrorAlert error={top.error} what="The top of the tree could not be read." />
      {top.loaded && top.ids.length === 0 && <p>{matching ? 'No invitation matches.' : 'No invitations yet.'}</p>}
      {!top.loaded && top.loading && <p role="status">Loading invitations…</p>}
      {top.ids.length > 0 && (
        <ul role="tree" aria-labelledby="tree-heading" class="tree" onKeyDown={onKeyDown} onFocusIn={onFocusIn}>
          <Level
            state={state}
            topName={matching ? 'matching invitations' : 'top-level invitations'}
            parent={TOP}
            level={1}
            tabStop={tabStop}
            toggle={toggle}
            activate={activate}
          />
        </ul>
      )}
    </section>
  );
}

interface LevelProps {
  state: TreeState;
  /** What the top level holds, for its "Load more". */
  topName: string;
  parent: string;
  level: number;
  tabStop: string | undefined;
  toggle: (id: string, open: boolean) => void;
  activate: (row: Row) => void;
}

function Level(props: LevelProps) {
  const { state, topName, parent, level, tabStop, activate } = props;
  const { ids, cursor, loading } = levelOf(state, parent);
  const key = moreKey(parent);
  return (
    <>
      {ids.map((id, index) => (
        <Node key={id} {...props} id={id} position={index + 1} size={ids.length} />
      ))}
      {cursor !== undefined && (
        <li
          role="treeitem"
          id={domId(key)}
          data-key={key}
          aria-level={level}
          tabIndex={tabStop === key ? 0 : -1}
          class="tree-more"
          onClick={() => activate({ kind: 'more', key, parent, level })}
        >
          {loading
            ? 'Loading more…'
            : `Load more ${parent === TOP ? topName : `under ${state.nodes[parent]?.name ?? parent}`}`}
        </li>
      )}
    </>
  );
}

function Node(props: LevelProps & { id: string; position: number; size: number }) {
  const { state, id, level, position, size, tabStop, toggle } = props;
  const invitation = state.nodes[id];
  if (!invitation) return null;
  const expandable = mayHaveChildren(invitation);
  const open = expandable && state.open[id] === true;
  const children = levelOf(state, id);
  const labelId = `${domId(id)}-label`;
  return (
    <li
      role="treeitem"
      id={domId(id)}
      data-key={id}
      aria-level={level}
      aria-setsize={size}
      aria-posinset={position}
      aria-expanded={expandable ? open : undefined}
      aria-labelledby={labelId}
      tabIndex={tabStop === id ? 0 : -1}
      class="tree-item"
    >
      <div class="tree-row">
        {expandable ? (
          <button
            type="button"
            tabIndex={-1}
            class="tree-toggle"
            aria-label={`${open ? 'Collapse' : 'Expand'} ${invitation.name}`}
            onClick={() => toggle(id, !open)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span class="tree-toggle-space" />
        )}
        <NodeLine invitation={invitation} ancestors={ancestorsInTree(state, id)} labelId={labelId} />
        {open && children.loading && !children.loaded && (
          <span role="status" class="tree-note">
            loading sub-invitations…
          </span>
        )}
        {open && children.loaded && children.ids.length === 0 && <span class="tree-note">no sub-invitations</span>}
      </div>
      {open && children.error !== undefined && (
        <ErrorAlert error={children.error} what="Its sub-invitations could not be read." />
      )}
      {open && children.ids.length + (children.cursor === undefined ? 0 : 1) > 0 && (
        <ul role="group">
          <Level {...props} parent={id} level={level + 1} />
        </ul>
      )}
    </li>
  );
}
