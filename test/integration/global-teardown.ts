import { EMULATORS, type RunningEmulators } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as Record<symbol, RunningEmulators | undefined>)[EMULATORS]?.stop();
}
