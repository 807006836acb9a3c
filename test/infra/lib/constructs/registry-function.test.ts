import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { RegistryFunction } from '../../../../lib/constructs/registry-function';
import { cdkContext } from '../../support/registry-template';

// Real esbuild bundling of one function; the registry's own entries are bundled by `npm run synth`.
test('bundles a handler with the AWS SDK and CommonJS dependencies into ESM that runs on Node', () => {
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, 'Bundling');
  new RegistryFunction(stack, 'Bundled', {
    definition: {
      entry: 'test/infra/fixtures/bundled-handler.ts',
      description: 'bundling fixture',
      table: 'none',
      keys: false,
      timeoutSeconds: 3,
      memoryMb: 128,
    },
  });
  const assembly = app.synth();
  const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  const bundleDir = join(assembly.directory, assets[0] ?? '');

  expect(readdirSync(bundleDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);

  // The assembly lives in a fresh temp directory with no node_modules above it: the bundle runs only if
  // everything it imports, the AWS SDK included, is inside it.
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleDir, 'index.mjs')).href)});
process.stdout.write(JSON.stringify(await handler()));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(JSON.parse(output)).toEqual({ sdk: 'node', commonJs: 'bundled' });
}, 60_000);
