import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs every jest project (or the ones named) and closes with one line: `N passed, N failed`. */
const folder = mkdtempSync(join(tmpdir(), 'prism-registry-tests-'));
const results = join(folder, 'results.json');
const run = spawnSync('jest', ['--json', `--outputFile=${results}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let summary = { numPassedTests: 0, numFailedTests: 0 };
try {
  summary = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  summary.numFailedTests = Math.max(1, summary.numFailedTests);
}
rmSync(folder, { recursive: true, force: true });
console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed`);
process.exit(run.status ?? 1);
