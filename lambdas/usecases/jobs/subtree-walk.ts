import { mapInOrder } from './row-files';

/**
 * A depth-first walk of an invitation's subtree that can stop between two steps and go on later, in another
 * invocation, from a handful of ids: its whole state is a stack with one frame per level (at most 9 under the
 * depth bound of docs/SPEC.md §3.3). Children are read a page at a time from the parent index in id order and visited
 * a page at a time (several at once); a child is visited before the walk enters it.
 */

/** One level of the walk: a parent, and how far through its children (in id order) the walk has come. */
export interface WalkFrame {
  parentId: string;
  /** The last child entered: every child up to it is visited and its subtree done, or being walked a level up. */
  after?: string;
  /** The last child visited, when beyond `after`: the children in between are visited but not entered yet. */
  visitedThrough?: string;
}

export interface Visited {
  /** False when it cannot have children, so the walk need not look for any. */
  mayHaveChildren: boolean;
}

export interface Walker {
  /** Up to `limit` ids of `parentId`'s children after `after` (from the first when undefined), in id order. */
  children(parentId: string, after: string | undefined, limit: number): Promise<string[]>;
  /**
   * Visits one child. `again`: the walk visited it before it stopped last time, and the figures saved then
   * count what that visit did.
   */
  visit(id: string, again: boolean): Promise<Visited>;
  /** Asked before each new page of children is visited: true stops the walk there. */
  shouldStop(): boolean;
  /** Told the stack after every step, so it can be saved. */
  stepped(stack: readonly WalkFrame[]): void;
  pageSize: number;
  /** Children of one page visited at once. */
  concurrency: number;
}

interface Child extends Visited {
  id: string;
}

/**
 * What this invocation knows of a level beyond its frame: the children visited but not entered yet (`visitedThrough`
 * tells the next invocation which they are), and whether the last page read was the last of them.
 */
interface Level {
  waiting: Child[];
  lastPage: boolean;
}

const newLevel = (): Level => ({ waiting: [], lastPage: false });

/** Where a walk of `rootId`'s subtree starts. */
export const walkStart = (rootId: string): WalkFrame[] => [{ parentId: rootId }];

/**
 * Walks on from `start` until the whole subtree is visited (then returns undefined) or `shouldStop` says so
 * (then returns the stack to go on from).
 */
export async function walkSubtree(start: readonly WalkFrame[], walker: Walker): Promise<WalkFrame[] | undefined> {
  const stack = start.map((frame) => ({ ...frame }));
  const levels = stack.map(newLevel);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const level = levels[levels.length - 1]!;
    if (level.waiting.length === 0) {
      const page = level.lastPage ? [] : await nextPage(frame, level, walker);
      if (page === 'stop') return stack;
      if (page.length === 0) {
        stack.pop();
        levels.pop();
        continue;
      }
      level.waiting.push(...page);
      walker.stepped(stack);
    }
    const child = level.waiting.shift()!;
    frame.after = child.id;
    if (frame.visitedThrough === child.id) delete frame.visitedThrough;
    if (child.mayHaveChildren) {
      stack.push({ parentId: child.id });
      levels.push(newLevel());
    }
    walker.stepped(stack);
  }
  return undefined;
}

/** The frame's next children, visited; `stop` when the walk is to stop before visiting more. */
async function nextPage(frame: WalkFrame, level: Level, walker: Walker): Promise<Child[] | 'stop'> {
  const { visitedThrough } = frame;
  if (visitedThrough !== undefined) {
    const ids = await walker.children(frame.parentId, frame.after, walker.pageSize);
    const visited = ids.filter((id) => id <= visitedThrough);
    if (visited.length > 0) return visitAll(walker, visited, true);
    // They are gone: go on after them.
    delete frame.visitedThrough;
  }
  if (walker.shouldStop()) return 'stop';
  const ids = await walker.children(frame.parentId, frame.after, walker.pageSize);
  const children = await visitAll(walker, ids, false);
  if (ids.length > 0) frame.visitedThrough = ids[ids.length - 1];
  level.lastPage = ids.length < walker.pageSize;
  return children;
}

async function visitAll(walker: Walker, ids: string[], again: boolean): Promise<Child[]> {
  const children: Child[] = [];
  for await (const child of mapInOrder(ids, walker.concurrency, async (id) => ({
    id,
    ...(await walker.visit(id, again)),
  }))) {
    children.push(child);
  }
  return children;
}

/** Whether a saved position is a walk's stack. */
export function isWalkStack(value: unknown): value is WalkFrame[] {
  const isId = (id: unknown) => id === undefined || typeof id === 'string';
  return (
    Array.isArray(value) &&
    value.every(
      (frame: Partial<Record<keyof WalkFrame, unknown>> | null) =>
        typeof frame === 'object' &&
        frame !== null &&
        typeof frame.parentId === 'string' &&
        isId(frame.after) &&
        isId(frame.visitedThrough),
    )
  );
}
