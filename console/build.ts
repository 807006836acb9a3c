import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * Builds the admin console (docs/CONSOLE.md) into `outdir`: `index.html`, and `assets/app.js` with `assets/app.css`,
 * minified, with source maps. `prism-registry console` serves that folder; the page loads nothing from anywhere else.
 * `BUILT_FROM` lists the project's files the bundle was made of, so `scripts/ensure-installed.cjs` builds it again
 * when one of them changes, the modules of lambdas/ it imports included.
 */

const CONSOLE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(CONSOLE);
const BUILT_FROM = 'built-from.json';

/**
 * The console imports values from lambdas/domain, some of whose modules also use Node (`node:crypto`): esbuild leaves
 * those imports out when nothing the console uses needs them. One that stays would break the page, so it fails the
 * build, naming the module that pulled it in.
 */
const nodeModulesLeftOut: esbuild.Plugin = {
  name: 'node-modules-left-out',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, ({ path }) => ({ path, external: true, sideEffects: false }));
  },
};

/** What the bundle must not carry: Node's modules (they do not exist in a browser) and zod (the schemas' weight). */
function refuseForeignCode(metafile: esbuild.Metafile): void {
  const outputs = Object.values(metafile.outputs);
  const carried = outputs.flatMap(({ inputs }) =>
    Object.entries(inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : [])),
  );
  const problems = [
    ...outputs.flatMap(({ imports }) => imports.map(({ path }) => `imports ${path}, which no browser has`)),
    ...(carried.some((input) => input.includes('node_modules/zod/'))
      ? ['carries zod: import values from lambdas/domain, not the request schemas of lambdas/contract']
      : []),
  ];
  if (problems.length > 0) throw new Error(`The console bundle ${problems.join('; ')}`);
}

export async function buildConsole(outdir = 'console/dist'): Promise<void> {
  const out = resolve(ROOT, outdir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: join(CONSOLE, 'src', 'main.tsx') },
    outdir: join(out, 'assets'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    tsconfig: join(CONSOLE, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
    plugins: [nodeModulesLeftOut],
  });
  refuseForeignCode(result.metafile);
  await copyFile(join(CONSOLE, 'index.html'), join(out, 'index.html'));
  const projectFiles = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  await writeFile(join(out, BUILT_FROM), `${JSON.stringify(projectFiles, null, 1)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ?? 'console/dist';
  await buildConsole(outdir);
  console.error(`Built the console into ${relative(process.cwd(), resolve(ROOT, outdir)) || '.'}`);
}
