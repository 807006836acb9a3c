import { readFileSync } from 'node:fs';
import { CAPACITY_FILE, comparable, generatedPart } from '../../bench/capacity/document';
import { capacityFigures } from '../../bench/capacity/figures';
import { measureOperations } from '../../bench/capacity/operations';
import { renderCapacity } from '../../bench/capacity/render';
import { withEmbeddedStack } from '../../bench/shared/bench-stack';

/**
 * docs/CAPACITY.md's figures are the ones the operations make today: measured again here on a fresh embedded
 * stack. When this fails after a change to what an operation sends, `npm run capacity` writes the new figures.
 */
jest.setTimeout(600_000);

test('docs/CAPACITY.md shows the requests, units and costs the operations measure', async () => {
  const measured = await withEmbeddedStack('bench/capacity', measureOperations);
  const expected = renderCapacity(capacityFigures(measured));
  expect(comparable(generatedPart(readFileSync(CAPACITY_FILE, 'utf8')))).toBe(comparable(expected));
});
