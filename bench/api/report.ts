import type { Machine } from '../shared/machine';
import { numeric, runHeader, table } from '../shared/markdown';
import type { ResultsSection } from '../shared/results-file';
import { COLD_START_CEILINGS, type ColdStarts } from './cold-start';
import type { ApiMeasurement, PhaseResult } from './measure-api';
import {
  CEILING_SCENARIO,
  PHASE_TIME_LIMIT_MS,
  REPLAY_SCENARIO,
  TARGET_CONCURRENCY,
  TARGET_SHARE,
  type ScenarioName,
} from './phases';
import { PROBES_PER_SCENARIO, type RequestCalls } from './request-calls';

const SCENARIO_ROUTES: Record<ScenarioName, string> = {
  health: 'GET /health (no-op)',
  register: 'POST /registry/register',
  validate: 'GET /registry/validate',
  [REPLAY_SCENARIO]: "a validation's DynamoDB requests, straight to DynamoDB Local",
};

/** Each request's DynamoDB round trips should stay within these (docs/CAPACITY.md has the units they cost). */
const CALL_AIMS: Record<RequestCalls['scenario'], string> = {
  health: 'none',
  register: '≤ 2 read round trips + 1 transaction',
  validate: '≤ 2 read round trips, 0 writes',
};

const ms = (value: number) => value.toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

const share = (result: PhaseResult, of: PhaseResult) =>
  `${((100 * result.requestsPerSecond) / of.requestsPerSecond).toFixed(0)} %`;

/** Throughput as a share of the replayed calls' rate, for registration and validation; at the target, beside the aim. */
function shareOfReplay(result: PhaseResult, replay: PhaseResult | undefined): string {
  if (!replay || !['register', 'validate'].includes(result.plan.scenario)) return '—';
  const aim = result.plan.concurrency === TARGET_CONCURRENCY ? ` (aim ≥ ${100 * TARGET_SHARE} %)` : '';
  return `${share(result, replay)}${aim}`;
}

function apiTable(results: readonly PhaseResult[]): string {
  const at = (scenario: ScenarioName, concurrency: number) =>
    results.find((result) => result.plan.scenario === scenario && result.plan.concurrency === concurrency);
  const rows = results.map((result) => {
    const ceiling = at(CEILING_SCENARIO, result.plan.concurrency);
    const replay = at(REPLAY_SCENARIO, result.plan.concurrency);
    const beside =
      !ceiling || ceiling === result
        ? ['—', '—', '—']
        : [ms(ceiling.p50Ms), ceiling.requestsPerSecond.toFixed(0), share(result, ceiling)];
    return [
      SCENARIO_ROUTES[result.plan.scenario],
      String(result.plan.concurrency),
      String(result.requests),
      String(result.errors),
      ms(result.p50Ms),
      ms(result.p99Ms),
      result.requestsPerSecond.toFixed(0),
      ...beside,
      replay?.requestsPerSecond.toFixed(0) ?? '—',
      shareOfReplay(result, replay),
    ];
  });
  return table(
    [
      { title: 'route' },
      ...['clients', 'requests', 'errors', 'p50 ms', 'p99 ms', 'req/s'].map(numeric),
      ...['no-op p50 ms', 'no-op req/s', 'req/s of no-op', 'validation calls req/s', 'req/s of validation calls'].map(
        numeric,
      ),
    ],
    rows,
  );
}

function callsTable(calls: readonly RequestCalls[]): string {
  const rows = calls.map((counted) => [
    SCENARIO_ROUTES[counted.scenario],
    String(counted.requests),
    String(counted.roundTrips),
    String(counted.reads),
    String(counted.writes),
    counted.trips.map((trip) => trip.map((request) => request.operation).join(' + ')).join(' → '),
    CALL_AIMS[counted.scenario],
  ]);
  return table(
    [
      { title: 'route' },
      ...['DynamoDB requests', 'round trips', 'reads', 'writes'].map(numeric),
      { title: 'requests, round trip by round trip' },
      { title: 'aim' },
    ],
    rows,
  );
}

/** Packages shown beside each function: its largest. */
const LARGEST_PACKAGES = 3;

/** A figure, marked when it is over its ceiling. */
const againstCeiling = (figure: string, over: boolean) => (over ? `${figure} **over**` : figure);

function coldStartTable({ floorMs, functions }: ColdStarts): string {
  const { bundleKiB, initPerEmpty } = COLD_START_CEILINGS;
  const rows = functions.map(({ bundle, initMs }) => [
    bundle.name,
    againstCeiling(kib(bundle.bytes), bundle.bytes > bundleKiB * 1024),
    initMs.toFixed(1),
    floorMs.toFixed(1),
    againstCeiling(`${(initMs / floorMs).toFixed(1)} ×`, initMs / floorMs > initPerEmpty),
    bundle.packages
      .slice(0, LARGEST_PACKAGES)
      .map((item) => `${item.name} ${kib(item.bytes)}`)
      .join(', '),
  ]);
  return table(
    [
      { title: 'function' },
      numeric(`bundle KiB (≤ ${bundleKiB})`),
      ...['init ms', 'empty module ms'].map(numeric),
      numeric(`init / empty (≤ ${initPerEmpty} ×)`),
      { title: `largest packages (KiB)` },
    ],
    rows,
  );
}

/** The cold start section: every function's bundle and module init, beside the ceilings. */
export function renderColdStarts(coldStarts: ColdStarts): string {
  return `#### Cold start

Bundles as \`cdk synth\` builds them by default (no source maps: \`sourceMaps\` in docs/DEPLOY.md); init = \`import()\` of the bundle in a fresh \`node\` with the function's
environment, median of ${coldStarts.runs} processes. Floor: the same for an empty module. Ceilings: a bundle of at
most ${COLD_START_CEILINGS.bundleKiB} KiB, an init of at most ${COLD_START_CEILINGS.initPerEmpty} times the floor; a
figure over its ceiling is marked **over**. Largest packages: what each adds to the bundle, from esbuild's metafile
(the project's own code by folder).

${coldStartTable(coldStarts)}
`;
}

export const API_RESULTS: ResultsSection = {
  label: 'bench/api',
  command: 'npm run bench',
  heading: 'API latency and cold start (`bench/api`)',
};

export interface BenchResults {
  machine: Machine;
  api: ApiMeasurement;
  coldStarts: ColdStarts;
}

/** The run's figures as Markdown, each beside the ceiling measured in the same run. */
export function renderResults({ machine, api, coldStarts }: BenchResults): string {
  const requestCounts = [...new Set(api.phases.map((result) => result.plan.requests))].join(' / ');
  return `${runHeader(machine, API_RESULTS.command)}

#### Registration and validation against the embedded stack

Closed loop on 127.0.0.1; each phase stops at ${requestCounts} requests (by concurrency) or after ${PHASE_TIME_LIMIT_MS / 1000} s,
after an unmeasured warm-up. Ceilings, at the same concurrency: \`GET /health\` through the same gateway, and the
DynamoDB requests of one validation (as counted below) sent again straight to DynamoDB Local, round trip after
round trip: the rate DynamoDB Local allows a validation. Aim: registration and validation at
≥ ${100 * TARGET_SHARE} % of it at ${TARGET_CONCURRENCY} clients.

${apiTable(api.phases)}

#### DynamoDB requests per request

Counted on the wire (the SDK's requests as the functions send them), one request at a time, median of
${PROBES_PER_SCENARIO}: figures no machine noise changes. Requests sent while earlier ones are unanswered share a round trip.

${callsTable(api.calls)}

${renderColdStarts(coldStarts)}`;
}
