import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeStackPorts } from '../../local/stack/ports';
import { startEmbeddedStack, type EmbeddedStack } from '../../local/stack/stack';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** What a benchmark calls itself in its messages, e.g. `bench/api`. */
export type BenchLabel = `bench/${string}`;

/**
 * Runs `use` against a fresh embedded stack (temporary data folder, free ports, no access log), then stops
 * it and DynamoDB Local with it and removes the folder: on success, on error and on Ctrl-C or SIGTERM.
 * `onStop` runs first on the way out (e.g. ending child processes the benchmark started).
 */
export async function withEmbeddedStack<T>(
  label: BenchLabel,
  use: (stack: EmbeddedStack) => Promise<T>,
  onStop: () => Promise<void> | void = () => {},
): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'prism-bench-'));
  const removeHome = () => rmSync(home, { recursive: true, force: true });
  let stack: EmbeddedStack;
  try {
    stack = await startEmbeddedStack({ home, ports: await freeStackPorts(), quiet: true });
  } catch (error) {
    removeHome();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= Promise.resolve()
      .then(onStop)
      .finally(() => stack.stop())
      .finally(removeHome));
  // Kept for repeated signals too (a terminal's Ctrl-C arrives both directly and relayed by tsx), which
  // would otherwise end the process before the stack has stopped.
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    console.error(`${label}: ${signal}, stopping the embedded stack`);
    void stop().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await use(stack);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await stop();
  }
}
