import { mapInOrder } from '../../../../../lambdas/usecases/jobs/row-files';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* numbers(count: number, pulled: { count: number } = { count: 0 }): AsyncGenerator<number> {
  for (let n = 0; n < count; n++) {
    pulled.count++;
    yield n;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('mapInOrder: a bounded window of work, results in input order', () => {
  test('results come in input order however long each item takes, with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const work = async (n: number) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await sleep((n * 7) % 5);
      inFlight--;
      return n * 10;
    };
    const results = await collect(mapInOrder(numbers(60), 7, work));
    expect(results).toEqual(Array.from({ length: 60 }, (_, n) => n * 10));
    expect(mostInFlight).toBe(7);
  });

  test('a slow consumer holds the source back: nothing is pulled beyond the window', async () => {
    const pulled = { count: 0 };
    const results = mapInOrder(numbers(1_000, pulled), 5, async (n) => n);
    let taken = 0;
    for await (const _ of results) {
      taken++;
      expect(pulled.count - taken).toBeLessThanOrEqual(5);
      await tick();
    }
    expect(taken).toBe(1_000);
  });

  test("a failure surfaces in its item's turn, after the results before it", async () => {
    const seen: number[] = [];
    const failing = async (n: number) => {
      await sleep(n === 3 ? 0 : 5);
      if (n === 3) throw new Error('row 3 failed');
      return n;
    };
    await expect(
      (async () => {
        for await (const n of mapInOrder(numbers(10), 4, failing)) seen.push(n);
      })(),
    ).rejects.toThrow('row 3 failed');
    expect(seen).toEqual([0, 1, 2]);
  });
});
