import {
  type WalkFrame,
  type Walker,
  isWalkStack,
  walkStart,
  walkSubtree,
} from '../../../../../lambdas/usecases/jobs/subtree-walk';

/**
 * The cascade's walk over an in-memory tree: ids sort in creation order as ULIDs do, `x` children cannot have
 * children of their own (they may not invite).
 */

/** root → 7 children, each with 3, every third grandchild with 4 more, down to 5 levels on the first branch. */
function tree(): Map<string, string[]> {
  const children = new Map<string, string[]>();
  const add = (parent: string, count: number, leaf: (n: number) => boolean = () => false) => {
    const ids = Array.from({ length: count }, (_, n) => `${parent}.${String(n).padStart(2, '0')}${leaf(n) ? 'x' : ''}`);
    children.set(parent, ids);
    return ids;
  };
  for (const child of add('root', 7)) {
    add(child, 3, (n) => n === 2).forEach((grandchild, n) => {
      if (n === 0) add(grandchild, 4, (m) => m % 2 === 1);
    });
  }
  let deep = 'root.00.00.00';
  for (let level = 0; level < 5; level++) deep = add(deep, 2)[0]!;
  return children;
}

const TREE = tree();
const DESCENDANTS = [...TREE.values()].flat();
const parentOf = (id: string) => id.slice(0, id.lastIndexOf('.'));

/** Every descendant once, and each after its parent. */
function expectEachOnceParentFirst(visited: string[]) {
  expect([...visited].sort()).toEqual([...DESCENDANTS].sort());
  for (const [index, id] of visited.entries()) {
    if (parentOf(id) !== 'root') expect(visited.indexOf(parentOf(id))).toBeLessThan(index);
  }
}

interface Recorder {
  visits: { id: string; again: boolean }[];
  listed: string[];
  /** Each stack the walk saved, with how many visits were done then. */
  checkpoints: { stack: WalkFrame[]; visited: number }[];
  asked: number;
  mostInFlight: number;
}

function walker(stopAt: (asked: number) => boolean, recorder: Recorder, pageSize = 2, concurrency = 3): Walker {
  let inFlight = 0;
  return {
    pageSize,
    concurrency,
    children: async (parentId, after, limit) => {
      recorder.listed.push(parentId);
      return (TREE.get(parentId) ?? []).filter((id) => after === undefined || id > after).slice(0, limit);
    },
    visit: async (id, again) => {
      inFlight++;
      recorder.mostInFlight = Math.max(recorder.mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, id.length % 3));
      inFlight--;
      recorder.visits.push({ id, again });
      return { mayHaveChildren: !id.endsWith('x') };
    },
    shouldStop: () => stopAt(++recorder.asked),
    stepped: (stack) =>
      recorder.checkpoints.push({
        stack: JSON.parse(JSON.stringify(stack)) as WalkFrame[],
        visited: recorder.visits.length,
      }),
  };
}

const recorder = (): Recorder => ({ visits: [], listed: [], checkpoints: [], asked: 0, mostInFlight: 0 });
const firstVisits = (r: Recorder) => r.visits.filter((visit) => !visit.again).map((visit) => visit.id);

describe('walkSubtree', () => {
  test('visits every descendant once, each before its children, a page of 2 at a time, 3 at once', async () => {
    const r = recorder();
    expect(
      await walkSubtree(
        walkStart('root'),
        walker(() => false, r),
      ),
    ).toBeUndefined();
    expect(DESCENDANTS.length).toBeGreaterThan(60);
    expectEachOnceParentFirst(r.visits.map((visit) => visit.id));
    expect(r.visits.every((visit) => !visit.again)).toBe(true);
    expect(r.mostInFlight).toBeLessThanOrEqual(3);
    expect(r.mostInFlight).toBeGreaterThan(1);
    // Each parent that may have children is listed a page at a time, until a page comes back short; one that
    // may not invite never is.
    const listable = ['root', ...DESCENDANTS.filter((id) => !id.endsWith('x'))];
    const pages = listable.map((id) => Math.floor((TREE.get(id)?.length ?? 0) / 2) + 1);
    expect(r.listed).toHaveLength(pages.reduce((sum, n) => sum + n, 0));
    expect(r.listed.filter((id) => id.endsWith('x'))).toEqual([]);
    expect(Math.max(...r.checkpoints.map(({ stack }) => stack.length))).toBe(9);
  });

  test.each([1, 2, 3, 7])(
    'stopped at every %i-th page and resumed from its saved stack, it visits each descendant once and counts none twice',
    async (every) => {
      const r = recorder();
      let position: WalkFrame[] | undefined = walkStart('root');
      let runs = 0;
      while (position) {
        runs++;
        const asked = r.asked;
        const saved: WalkFrame[] = JSON.parse(JSON.stringify(position));
        expect(isWalkStack(saved)).toBe(true);
        position = await walkSubtree(
          saved,
          walker((n) => n > asked + every, r),
        );
      }
      expect(runs).toBeGreaterThan(DESCENDANTS.length / (2 * every) - 1);
      expectEachOnceParentFirst(firstVisits(r));
      // Visited again only to be entered: each was visited before its walk stopped.
      const again = r.visits.filter((visit) => visit.again).map((visit) => visit.id);
      for (const id of again)
        expect(r.visits.findIndex((visit) => visit.id === id && !visit.again)).toBeGreaterThan(-1);
    },
  );

  test('resumed from any step it saved (as after a crash), it visits afresh exactly the descendants not visited before', async () => {
    const full = recorder();
    await walkSubtree(
      walkStart('root'),
      walker(() => false, full),
    );
    expect(full.checkpoints.length).toBeGreaterThan(DESCENDANTS.length);
    for (let step = 0; step < full.checkpoints.length; step += 7) {
      const { stack, visited } = full.checkpoints[step]!;
      const r = recorder();
      await walkSubtree(
        stack,
        walker(() => false, r),
      );
      const before = full.visits.slice(0, visited).map((visit) => visit.id);
      expect([...before, ...firstVisits(r)].sort()).toEqual([...DESCENDANTS].sort());
    }
  });

  test('a saved position is checked before it is trusted', () => {
    expect(isWalkStack([{ parentId: 'root', after: 'a', visitedThrough: 'b' }, { parentId: 'a' }])).toBe(true);
    expect(isWalkStack([])).toBe(true);
    for (const junk of [undefined, 'root', {}, [null], [{ after: 'a' }], [{ parentId: 'root', after: 3 }]]) {
      expect(isWalkStack(junk)).toBe(false);
    }
  });
});
