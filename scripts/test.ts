import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs every jest project (or what the arguments select) and closes with one line: `N passed, N failed`, and how
 * many suites could not run at all (one that does not compile holds no test to count).
 *
 * Without arguments, two jest runs go side by side. The integration suites share one set of emulators, so they
 * run one at a time; the others get two workers: unit and infra suites are independent, and each end-to-end
 * suite drives a stack of its own, waiting on it much of the time. The integration run's report is printed
 * once it ends, so the two reports do not interleave.
 */
interface Summary {
  numPassedTests: number;
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
}

const folder = mkdtempSync(join(tmpdir(), 'prism-registry-tests-'));

async function jest(name: string, args: string[], buffered: boolean): Promise<{ status: number; summary: Summary }> {
  const results = join(folder, `${name}.json`);
  const child = spawn('jest', ['--json', `--outputFile=${results}`, ...args], {
    stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  let report = '';
  child.stdout?.on('data', (chunk) => (report += chunk));
  child.stderr?.on('data', (chunk) => (report += chunk));
  const status = await new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  if (buffered) process.stderr.write(report);
  try {
    return { status, summary: JSON.parse(readFileSync(results, 'utf8')) as Summary };
  } catch {
    return { status: status || 1, summary: { numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 1 } };
  }
}

const given = process.argv.slice(2);
ensureChromium(given.length === 0 || given.some((arg) => arg.includes('browser')));
const runs =
  given.length > 0
    ? [jest('selected', given, false)]
    : [
        jest('others', ['--selectProjects', 'unit', 'infra', 'e2e', 'browser', '--maxWorkers=2'], false),
        jest('integration', ['--selectProjects', 'integration', '--maxWorkers=1'], true),
      ];
const finished = await Promise.all(runs);
rmSync(folder, { recursive: true, force: true });
const total = (key: keyof Summary) => finished.reduce((sum, { summary }) => sum + summary[key], 0);
const unrun = total('numRuntimeErrorTestSuites');
console.log(
  `${total('numPassedTests')} passed, ${total('numFailedTests')} failed` +
    (unrun > 0 ? `, ${unrun} suite${unrun === 1 ? '' : 's'} could not run` : ''),
);
process.exit(finished.some(({ status }) => status !== 0) ? 1 : 0);

/** The browser tests drive Debian's Chromium: installed here when missing (apt-get, as root or through sudo). */
function ensureChromium(needed: boolean): void {
  if (!needed || existsSync(process.env.PRISM_CHROMIUM ?? '/usr/bin/chromium')) return;
  if (spawnSync('bash', ['scripts/install-browser.sh'], { stdio: 'inherit' }).status === 0) return;
  console.error('The browser tests need Chromium: run `npm run install:browser` first.');
  process.exit(1);
}
