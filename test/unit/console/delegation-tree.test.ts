import type { InvitationView } from '../../../lambdas/contract/views';
import { intentOf } from '../../../console/src/views/invitations/tree-keys';
import {
  TOP,
  type TreeAction,
  type TreeState,
  ancestorsInTree,
  emptyTree,
  reduceTree,
  visibleRows,
} from '../../../console/src/views/invitations/tree-state';
import { invitationView } from './fixtures';

const node = (id: string, parentId?: string, descendantsCreated = 0): InvitationView =>
  invitationView({ id, name: id, parentId, descendantsCreated });

const loaded = (parent: string, invitations: InvitationView[], cursor?: string): TreeAction => ({
  type: 'loaded',
  parent,
  page: { invitations, cursor },
});

const apply = (...actions: TreeAction[]): TreeState => actions.reduce(reduceTree, emptyTree);

/** root (open) → a (open) → a1; root → b; a second root, and more top-level invitations to load. */
const tree = apply(
  loaded(TOP, [node('root', undefined, 3), node('other')], 'next-top'),
  { type: 'toggle', id: 'root', open: true },
  loaded('root', [node('a', 'root', 1), node('b', 'root')]),
  { type: 'toggle', id: 'a', open: true },
  loaded('a', [node('a1', 'a')]),
);

describe('the delegation tree as read so far', () => {
  test('shows each open node’s children under it, and a "load more" row where a cursor came back', () => {
    expect(visibleRows(tree).map(({ key, level }) => `${level}:${key}`)).toEqual([
      '1:root',
      '2:a',
      '3:a1',
      '2:b',
      '1:other',
      '1:more:',
    ]);
  });

  test('a closed node hides its children but keeps them read', () => {
    const closed = reduceTree(tree, { type: 'toggle', id: 'a', open: false });
    expect(visibleRows(closed).map(({ key }) => key)).toEqual(['root', 'a', 'b', 'other', 'more:']);
    expect(closed.levels.a?.ids).toEqual(['a1']);
  });

  test('a further page adds to its level, once each, and a level without a cursor has no "load more"', () => {
    const more = reduceTree(tree, loaded(TOP, [node('other'), node('third')]));
    expect(more.levels[TOP]).toEqual(expect.objectContaining({ ids: ['root', 'other', 'third'], cursor: undefined }));
    expect(visibleRows(more).map(({ key }) => key)).not.toContain('more:');
  });

  test('a failed read keeps what the level had, with its error', () => {
    const failed = apply(
      loaded(TOP, [node('root')]),
      { type: 'loading', parent: TOP },
      {
        type: 'failed',
        parent: TOP,
        error: new Error('down'),
      },
    );
    expect(failed.levels[TOP]).toEqual(
      expect.objectContaining({ ids: ['root'], loading: false, error: new Error('down') }),
    );
  });

  test('a node’s ancestors go from its parent up to the top', () => {
    expect(ancestorsInTree(tree, 'a1').map(({ id }) => id)).toEqual(['a', 'root']);
    expect(ancestorsInTree(tree, 'root')).toEqual([]);
  });
});

describe('the tree’s keys', () => {
  const rows = visibleRows(tree);
  const at = (key: string) => rows.findIndex((row) => row.key === key);

  test('up and down move through the rows on show, Home and End to either end', () => {
    expect(intentOf('ArrowDown', rows, at('a1'), tree)).toEqual({ focus: 'b' });
    expect(intentOf('ArrowUp', rows, at('b'), tree)).toEqual({ focus: 'a1' });
    expect(intentOf('ArrowUp', rows, at('root'), tree)).toBeUndefined();
    expect(intentOf('Home', rows, at('b'), tree)).toEqual({ focus: 'root' });
    expect(intentOf('End', rows, at('b'), tree)).toEqual({ focus: 'more:' });
  });

  test('right opens a closed node that may have children, then moves to its first child', () => {
    const closed = reduceTree(tree, { type: 'toggle', id: 'a', open: false });
    expect(intentOf('ArrowRight', visibleRows(closed), at('a'), closed)).toEqual({ open: 'a' });
    expect(intentOf('ArrowRight', rows, at('a'), tree)).toEqual({ focus: 'a1' });
    expect(intentOf('ArrowRight', rows, at('b'), tree)).toBeUndefined();
  });

  test('left closes an open node, else moves to the parent', () => {
    expect(intentOf('ArrowLeft', rows, at('a'), tree)).toEqual({ close: 'a' });
    expect(intentOf('ArrowLeft', rows, at('a1'), tree)).toEqual({ focus: 'a' });
    expect(intentOf('ArrowLeft', rows, at('other'), tree)).toBeUndefined();
  });

  test('Enter and Space activate the row: an invitation, or the next page', () => {
    expect(intentOf('Enter', rows, at('b'), tree)).toEqual({ activate: rows[at('b')] });
    expect(intentOf(' ', rows, at('more:'), tree)).toEqual({
      activate: { kind: 'more', key: 'more:', parent: TOP, level: 1 },
    });
    expect(intentOf('x', rows, at('b'), tree)).toBeUndefined();
  });
});
