import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { projectRoot } from '../../local/stack/paths';
import { CliError } from '../errors';
import type { Answer } from './answers';
import { errorAnswer } from './answers';

/** Where `npm run console:build` puts the page: `index.html` and `assets/`. */
export const consolePageFolder = () => join(projectRoot(), 'console', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A file name under assets/ as the build writes them: no folder, no dot file, nothing to climb out with. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The page's files, read from the built folder. */
export class PageFiles {
  constructor(private readonly folder = consolePageFolder()) {}

  /** Fails at start, saying how to build, when the page has not been built. */
  async ensureBuilt(): Promise<void> {
    try {
      await readFile(join(this.folder, 'index.html'));
    } catch {
      throw new CliError(
        `the console's page is not built (no ${join(this.folder, 'index.html')}): run \`npm run console:build\``,
        'console_not_built',
      );
    }
  }

  index(): Promise<Answer> {
    return this.read(join(this.folder, 'index.html'));
  }

  asset(name: string): Promise<Answer> {
    if (!ASSET_NAME.test(name)) return Promise.resolve(notFound());
    return this.read(join(this.folder, 'assets', name));
  }

  private async read(path: string): Promise<Answer> {
    try {
      const body = await readFile(path);
      return { status: 200, headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }, body };
    } catch {
      return notFound();
    }
  }
}

const notFound = () => errorAnswer(404, 'not_found', 'no such file');
