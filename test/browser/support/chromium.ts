import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, which `npm run install:browser` installs; PRISM_CHROMIUM names another. */
export const chromiumPath = () => process.env.PRISM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags a closed machine needs: no sandbox (tests run as root), no GPU, and none of Chromium's own
 * connections to the internet (updates, sync, first-run pages), which the network here refuses.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh user-data folder, removed on close. */
export async function launchChromium(downloadsFolder?: string): Promise<Browser> {
  if (!existsSync(chromiumPath())) {
    throw new Error(`no Chromium at ${chromiumPath()}: run \`npm run install:browser\` (Debian's chromium)`);
  }
  const userData = mkdtempSync(join(tmpdir(), 'prism-chromium-'));
  const context = await chromium.launchPersistentContext(userData, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    ...(downloadsFolder && { downloadsPath: downloadsFolder }),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}
