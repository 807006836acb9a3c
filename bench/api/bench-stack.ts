import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/ports';
import { startEmbeddedStack, type EmbeddedStack } from '../../local/stack';

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs `use` against a fresh embedded stack (temporary data folder, free ports, no access log), then stops
 * it and DynamoDB Local with it and removes the folder: on success, on error and on Ctrl-C or SIGTERM.
 */
export async function withEmbeddedStack<T>(use: (stack: EmbeddedStack) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'prism-bench-'));
  const removeHome = () => rmSync(home, { recursive: true, force: true });
  let stack: EmbeddedStack;
  try {
    const ports = {
      gateway: await freePort(),
      dynamodb: await freePort(),
      fauxqs: await freePort(),
      events: await freePort(),
    };
    stack = await startEmbeddedStack({ home, ports, quiet: true });
  } catch (error) {
    removeHome();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stack.stop().finally(removeHome));
  // Kept for repeated signals too (a terminal's Ctrl-C arrives both directly and relayed by tsx), which
  // would otherwise end the process before the stack has stopped.
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    console.error(`bench/api: ${signal}, stopping the embedded stack`);
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
