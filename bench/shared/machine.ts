import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  /** `date -u +%F` */
  date: string;
  cpu: string;
  memory: string;
  node: string;
  /** `uname -sr` */
  os: string;
  /** DynamoDB Local runs on it. */
  java: string;
  /** One-minute load average when the run started: anything else busy skews every figure. */
  loadAverage: string;
}

/** `java -version` prints to stderr, e.g. `openjdk version "17.0.15" 2025-04-15`. */
const javaVersion = (): string =>
  spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.trim() || 'unknown';

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu: `${processors.length} × ${processors[0]?.model.trim() ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${type()} ${release()}`,
    java: javaVersion(),
    loadAverage: loadavg()[0]!.toFixed(2),
  };
}
