import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCAL_REGION } from '../../local/emulators/local-aws';
import { synthesizeBundles, type FunctionBundle } from './bundles';
import { median } from './stats';

/** What every function is held to: its bundle's size, and its module init as a multiple of an empty module's. */
export const COLD_START_CEILINGS = { bundleKiB: 450, initPerEmpty: 11 } as const;

/** Fresh processes per module; the median is reported. */
const RUNS = 5;
const PROCESS_TIME_LIMIT_MS = 30_000;

/** From just before `import()` to just after it resolves, in a process that has done nothing else. */
const IMPORT_TIMER =
  'const startedAt = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - startedAt));';

export interface ColdStart {
  bundle: FunctionBundle;
  initMs: number;
}

export interface ColdStarts {
  /** Processes per module. */
  runs: number;
  /** The same measurement for an empty module: the runtime's floor. */
  floorMs: number;
  functions: ColdStart[];
}

interface TimedModule {
  file: string;
  environment: Record<string, string>;
}

/** Only the module's own environment (plus the region Lambda always sets), nothing inherited from ours. */
function importMs({ file, environment }: TimedModule): number {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href], {
    env: { AWS_REGION: LOCAL_REGION, ...environment },
    encoding: 'utf8',
    timeout: PROCESS_TIME_LIMIT_MS,
  });
  return Number(output);
}

/** What every function's environment sets alike (e.g. NODE_OPTIONS), so the floor runs under it too. */
function sharedEnvironment(bundles: readonly FunctionBundle[]): Record<string, string> {
  const [first, ...others] = bundles.map((bundle) => bundle.environment);
  return Object.fromEntries(
    Object.entries(first ?? {}).filter(([name, value]) => others.every((other) => other[name] === value)),
  );
}

function writeEmptyModule(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'empty.mjs');
  writeFileSync(file, 'export const handler = async () => ({});\n');
  return file;
}

/** Bundles every function as CDK does under `outdir`, then times importing each bundle and an empty module. */
export function measureColdStarts(outdir: string): ColdStarts {
  const bundles = synthesizeBundles(join(outdir, 'cdk'));
  const floor: TimedModule = { file: writeEmptyModule(outdir), environment: sharedEnvironment(bundles) };
  const modules = [floor, ...bundles];
  const timings = modules.map((): number[] => []);
  // Round-robin, so a slow moment of the machine touches every module alike rather than one.
  for (let run = 0; run < RUNS; run++) modules.forEach((module, index) => timings[index]!.push(importMs(module)));
  const [floorTimings, ...bundleTimings] = timings.map(median);
  return {
    runs: RUNS,
    floorMs: floorTimings!,
    functions: bundles.map((bundle, index) => ({ bundle, initMs: bundleTimings[index]! })),
  };
}
