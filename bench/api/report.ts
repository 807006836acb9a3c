import type { Machine } from '../shared/machine';
import { numeric, runHeader, table } from '../shared/markdown';
import type { ResultsSection } from '../shared/results-file';
import type { ColdStarts } from './cold-start';
import type { PhaseResult } from './measure-api';
import { CEILING_SCENARIO, PHASE_TIME_LIMIT_MS, type ScenarioName } from './phases';

const SCENARIO_ROUTES: Record<ScenarioName, string> = {
  health: 'GET /health (no-op)',
  register: 'POST /registry/register',
  validate: 'GET /registry/validate',
};

const ms = (value: number) => value.toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

function apiTable(results: readonly PhaseResult[]): string {
  const ceilingAt = (concurrency: number) =>
    results.find((result) => result.plan.scenario === CEILING_SCENARIO && result.plan.concurrency === concurrency);
  const rows = results.map((result) => {
    const ceiling = ceilingAt(result.plan.concurrency);
    const beside =
      !ceiling || ceiling === result
        ? ['—', '—', '—']
        : [
            ms(ceiling.p50Ms),
            ceiling.requestsPerSecond.toFixed(0),
            `${((100 * result.requestsPerSecond) / ceiling.requestsPerSecond).toFixed(0)} %`,
          ];
    return [
      SCENARIO_ROUTES[result.plan.scenario],
      String(result.plan.concurrency),
      String(result.requests),
      String(result.errors),
      ms(result.p50Ms),
      ms(result.p99Ms),
      result.requestsPerSecond.toFixed(0),
      ...beside,
    ];
  });
  return table(
    [
      { title: 'route' },
      ...['clients', 'requests', 'errors', 'p50 ms', 'p99 ms', 'req/s'].map(numeric),
      ...['no-op p50 ms', 'no-op req/s', 'req/s of no-op'].map(numeric),
    ],
    rows,
  );
}

function coldStartTable({ floorMs, functions }: ColdStarts): string {
  const rows = functions.map(({ bundle, initMs }) => [
    bundle.name,
    String(bundle.bytes),
    kib(bundle.bytes),
    kib(bundle.sourceMapBytes),
    initMs.toFixed(1),
    floorMs.toFixed(1),
    `${(initMs / floorMs).toFixed(1)} ×`,
  ]);
  return table(
    [
      { title: 'function' },
      ...['bundle bytes', 'bundle KiB', 'source map KiB', 'init ms', 'empty module ms', 'init / empty'].map(numeric),
    ],
    rows,
  );
}

export const API_RESULTS: ResultsSection = {
  label: 'bench/api',
  command: 'npm run bench',
  heading: 'API latency and cold start (`bench/api`)',
};

export interface BenchResults {
  machine: Machine;
  api: readonly PhaseResult[];
  coldStarts: ColdStarts;
}

/** The run's figures as Markdown, each beside the ceiling measured in the same run. */
export function renderResults({ machine, api, coldStarts }: BenchResults): string {
  const requestCounts = [...new Set(api.map((result) => result.plan.requests))].join(' / ');
  return `${runHeader(machine, API_RESULTS.command)}

#### Registration and validation against the embedded stack

Closed loop on 127.0.0.1; each phase stops at ${requestCounts} requests (by concurrency) or after ${PHASE_TIME_LIMIT_MS / 1000} s,
after an unmeasured warm-up. Ceiling: \`GET /health\` through the same gateway at the same concurrency.

${apiTable(api)}

#### Cold start

Bundles as \`cdk synth\` builds them; init = \`import()\` of the bundle in a fresh \`node\` with the function's
environment, median of ${coldStarts.runs} processes. Floor: the same for an empty module.

${coldStartTable(coldStarts)}
`;
}
