import { readFileSync, writeFileSync } from 'node:fs';
import { withEmbeddedStack } from '../shared/bench-stack';
import { formatMarkdown } from '../shared/results-file';
import { CAPACITY_FILE, withGeneratedPart } from './document';
import { capacityFigures } from './figures';
import { measureOperations } from './operations';
import { renderCapacity } from './render';

/**
 * `npm run capacity`: measures every operation on a fresh embedded stack and rewrites the generated part of
 * docs/CAPACITY.md from it (test/e2e/capacity.test.ts checks that the document shows what it measures).
 */
const measured = await withEmbeddedStack('bench/capacity', measureOperations);
const document = withGeneratedPart(readFileSync(CAPACITY_FILE, 'utf8'), renderCapacity(capacityFigures(measured)));
writeFileSync(CAPACITY_FILE, await formatMarkdown(document, CAPACITY_FILE));
console.error(`bench/capacity: figures written to ${CAPACITY_FILE}`);
