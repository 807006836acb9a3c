import { join } from 'node:path';
import { projectRoot } from '../../local/stack/paths';

const BENCH_DIR = join(projectRoot(), 'bench');

/** Every benchmark's results, each in its own marked section. */
export const RESULTS_FILE = join(BENCH_DIR, 'RESULTS.md');

/** Build output of the benchmarks (git-ignored); each uses a folder of its own under it. */
export const benchOutDir = (...segments: string[]) => join(BENCH_DIR, 'out', ...segments);
