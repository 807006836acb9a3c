import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { Metafile } from 'esbuild';
import { BUNDLE_METAFILES_CONTEXT, RegistryFunction } from '../../../../lib/constructs/registry-function';
import type { FunctionDefinition } from '../../../../system/functions';
import { cdkContext } from '../../support/registry-template';
import { scratchFolder } from '../../../support/scratch';

// Real esbuild bundling of one function; the registry's own entries are bundled by `npm run synth`.

const FIXTURE: FunctionDefinition = {
  entry: 'test/infra/fixtures/bundled-handler.ts',
  description: 'bundling fixture',
  table: 'none',
  keys: false,
  timeoutSeconds: 3,
  memoryMb: 128,
};

/** Bundles `definition` as `cdk synth` does, into a fresh temp directory; returns the bundle's folder. */
function bundle(definition: FunctionDefinition, context: Record<string, unknown> = {}, sourceMaps?: boolean): string {
  const outdir = scratchFolder('prism-bundling-');
  const app = new App({ outdir, context: { ...cdkContext(), ...context } });
  new RegistryFunction(new Stack(app, 'Bundling'), 'Bundled', { definition, sourceMaps });
  const assembly = app.synth();
  const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  return join(assembly.directory, assets[0] ?? '');
}

/** Runs the bundle's handler in a fresh `node` and returns what it answered. */
function runHandler(bundleDir: string): unknown {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleDir, 'index.mjs')).href)});
process.stdout.write(JSON.stringify(await handler()));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

/** The packages a bundle holds code of, from its metafile. */
function bundledPackages(bundleDir: string): Set<string> {
  const { outputs } = JSON.parse(readFileSync(join(bundleDir, 'index.meta.json'), 'utf8')) as Metafile;
  const inputs = Object.values(outputs).flatMap((output) =>
    Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0),
  );
  return new Set(
    inputs.map(([path]) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1]).filter((name) => name !== undefined),
  );
}

test('bundles a handler with the AWS SDK and CommonJS dependencies into ESM that runs on Node', () => {
  const bundleDir = bundle(FIXTURE);

  expect(readdirSync(bundleDir)).toEqual(['index.mjs']);
  // The assembly lives in a fresh temp directory with no node_modules above it: the bundle runs only if
  // everything it imports, the AWS SDK included, is inside it.
  expect(runHandler(bundleDir)).toEqual({ sdk: 'node', commonJs: 'bundled' });
}, 60_000);

test('bundles a source map beside the handler when the deployment asks for source maps', () => {
  const bundleDir = bundle(FIXTURE, {}, true);

  expect(readdirSync(bundleDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
}, 60_000);

describe('a function bundle holds the AWS clients its definition uses, and no other', () => {
  const composed = { ...FIXTURE, entry: 'test/infra/fixtures/composed-handler.ts', table: 'write' } as const;
  const CLIENTS = ['@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@aws-sdk/client-eventbridge'];

  test('one granted only its table has the DynamoDB client alone, credentials from the environment', () => {
    const bundleDir = bundle(composed, { [BUNDLE_METAFILES_CONTEXT]: true });

    const packages = bundledPackages(bundleDir);
    expect(packages).toContain('@aws-sdk/client-dynamodb');
    for (const left of [...CLIENTS, '@aws-sdk/client-secrets-manager', '@aws-sdk/credential-provider-node']) {
      expect(packages).not.toContain(left);
    }
    const leftOut = (member: string) =>
      `This function's bundle has no ${member} adapter: its definition in system/functions.ts grants none`;
    expect(runHandler(bundleDir)).toEqual({
      auditLog: 'object',
      objects: leftOut('objects'),
      rows: leftOut('rows'),
      jobQueue: leftOut('jobQueue'),
      events: leftOut('events'),
      keyRing: leftOut('keyRing'),
    });
  }, 60_000);

  test('one granted the bus alone (the audit publisher) has the EventBridge client and no DynamoDB', () => {
    const bundleDir = bundle(
      { ...composed, table: 'none', publishesEvents: true },
      { [BUNDLE_METAFILES_CONTEXT]: true },
    );

    const packages = bundledPackages(bundleDir);
    expect(packages).toContain('@aws-sdk/client-eventbridge');
    const others = ['@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@aws-sdk/client-secrets-manager'];
    for (const left of ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', ...others]) {
      expect(packages).not.toContain(left);
    }
    const leftOut = (member: string) =>
      `This function's bundle has no ${member} adapter: its definition in system/functions.ts grants none`;
    expect(runHandler(bundleDir)).toEqual({
      auditLog: leftOut('auditLog'),
      objects: leftOut('objects'),
      rows: leftOut('rows'),
      jobQueue: leftOut('jobQueue'),
      events: 'object',
      keyRing: leftOut('keyRing'),
    });
  }, 60_000);

  test('one granted a bucket, queues, the bus and the keys has every client', () => {
    const bundleDir = bundle(
      {
        ...composed,
        keys: true,
        bucket: { read: ['jobs/'] },
        sendsRows: true,
        sendsJobs: ['jobs'],
        publishesEvents: true,
      },
      { [BUNDLE_METAFILES_CONTEXT]: true },
    );

    expect([...bundledPackages(bundleDir)]).toEqual(
      expect.arrayContaining([...CLIENTS, '@aws-sdk/client-secrets-manager']),
    );
    expect(runHandler(bundleDir)).toEqual({
      auditLog: 'object',
      objects: 'object',
      rows: 'object',
      jobQueue: 'object',
      events: 'object',
      keyRing: 'function',
    });
  }, 60_000);
});
