import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { Metafile } from 'esbuild';
import {
  BUNDLE_METAFILES_CONTEXT,
  RegistryFunction,
  type RegistryFunctionProps,
} from '../../../../lib/constructs/registry-function';
import { FUNCTIONS, type FunctionDefinition } from '../../../../system/functions';
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
function bundle(
  definition: FunctionDefinition,
  context: Record<string, unknown> = {},
  props: Omit<RegistryFunctionProps, 'definition'> = {},
): string {
  const outdir = scratchFolder('prism-bundling-');
  const app = new App({ outdir, context: { ...cdkContext(), ...context } });
  new RegistryFunction(new Stack(app, 'Bundling'), 'Bundled', { definition, ...props });
  const assembly = app.synth();
  const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  return join(assembly.directory, assets[0] ?? '');
}

/** Runs the bundle's handler with `args` in a fresh `node` and returns what it answered (its last line of output). */
function runHandler(bundleDir: string, ...args: unknown[]): unknown {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(bundleDir, 'index.mjs')).href)});
process.stdout.write('\\n' + JSON.stringify(await handler(...${JSON.stringify(args)})));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output.slice(output.lastIndexOf('\n') + 1));
}

/** The files a bundle holds code of, from its metafile. */
function bundledFiles(bundleDir: string): string[] {
  const { outputs } = JSON.parse(readFileSync(join(bundleDir, 'index.meta.json'), 'utf8')) as Metafile;
  return Object.values(outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path]) => path),
  );
}

/** The packages a bundle holds code of. */
const bundledPackages = (files: readonly string[]): Set<string> =>
  new Set(
    files.map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1]).filter((name) => name !== undefined),
  );

/** The AWS clients the functions no longer use: every service is reached through `lambdas/adapters/aws/`. */
const SDK_CLIENTS = /^@aws-sdk\/(client-|lib-|s3-request-presigner$)/;

/** The adapters a bundle may leave out, each with the code that reaches its service. */
const OPTIONAL_ADAPTERS = {
  objects: 'lambdas/adapters/s3/rest-client.ts',
  rows: 'lambdas/adapters/row-queue.ts',
  jobQueue: 'lambdas/adapters/job-queue.ts',
  events: 'lambdas/adapters/event-bus.ts',
  keyRing: 'lambdas/adapters/key-ring.ts',
};

test('bundles a handler with the AWS SDK and CommonJS dependencies into ESM that runs on Node', () => {
  const bundleDir = bundle(FIXTURE);

  expect(readdirSync(bundleDir)).toEqual(['index.mjs']);
  // The assembly lives in a fresh temp directory with no node_modules above it: the bundle runs only if
  // everything it imports, the AWS SDK included, is inside it.
  expect(runHandler(bundleDir)).toEqual({ sdk: 'node', commonJs: 'bundled' });
}, 60_000);

test('bundles a source map beside the handler when the deployment asks for source maps', () => {
  const bundleDir = bundle(FIXTURE, {}, { sourceMaps: true });

  expect(readdirSync(bundleDir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
}, 60_000);

describe('a function that sends mail carries the mail templates in its bundle', () => {
  const mailing: FunctionDefinition = { ...FIXTURE, sendsMail: true };
  const templatesFolder = (invitation: string) => {
    const folder = scratchFolder('prism-templates-');
    writeFileSync(join(folder, 'invitation.txt'), invitation);
    writeFileSync(join(folder, 'reminder.txt'), 'Subject: Soon\n\n{{name}} expires {{expiresAt}}\n');
    return folder;
  };
  const INVITATION = 'Subject: Invited\n\n{{encoded}}\n';

  test('as `templates/` beside the handler, byte for byte', () => {
    const bundleDir = bundle(mailing, {}, { mailTemplates: templatesFolder(INVITATION) });

    expect(readdirSync(bundleDir).sort()).toEqual(['index.mjs', 'templates']);
    expect(readdirSync(join(bundleDir, 'templates')).sort()).toEqual(['invitation.txt', 'reminder.txt']);
    expect(readFileSync(join(bundleDir, 'templates', 'invitation.txt'), 'utf8')).toBe(INVITATION);
  }, 60_000);

  test('so the asset changes with a template, and only with what the templates hold', () => {
    const hashOf = (folder: string) => basename(bundle(mailing, {}, { mailTemplates: folder }));

    const original = hashOf(templatesFolder(INVITATION));
    expect(hashOf(templatesFolder(INVITATION))).toBe(original);
    expect(hashOf(templatesFolder(INVITATION.replace('Invited', 'You are invited')))).not.toBe(original);
  }, 120_000);

  test('and a function that sends none carries no templates', () => {
    expect(readdirSync(bundle(FIXTURE, {}, { mailTemplates: templatesFolder(INVITATION) }))).toEqual(['index.mjs']);
  }, 60_000);
});

describe('a function bundle holds the AWS adapters its definition uses, and no other', () => {
  const composed = { ...FIXTURE, entry: 'test/infra/fixtures/composed-handler.ts', table: 'write' } as const;

  test('one granted only its table has the DynamoDB documents alone, credentials from the environment', () => {
    const bundleDir = bundle(composed, { [BUNDLE_METAFILES_CONTEXT]: true });

    const files = bundledFiles(bundleDir);
    const packages = [...bundledPackages(files)];
    expect(files).toEqual(
      expect.arrayContaining(['lambdas/adapters/aws/documents.ts', 'lambdas/adapters/aws/json-client.ts']),
    );
    expect(packages).toEqual(expect.arrayContaining(['@aws-sdk/util-dynamodb', '@smithy/signature-v4']));
    expect(packages.filter((name) => SDK_CLIENTS.test(name))).toEqual([]);
    expect(packages).not.toContain('@aws-sdk/credential-provider-node');
    expect(files.filter((file) => Object.values(OPTIONAL_ADAPTERS).includes(file))).toEqual([]);
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

  test('one granted the bus alone (the audit publisher) has the event bus adapter and no DynamoDB documents', () => {
    const bundleDir = bundle(
      { ...composed, table: 'none', publishesEvents: true },
      { [BUNDLE_METAFILES_CONTEXT]: true },
    );

    const files = bundledFiles(bundleDir);
    expect(files).toEqual(expect.arrayContaining([OPTIONAL_ADAPTERS.events, 'lambdas/adapters/aws/json-client.ts']));
    expect(files).not.toContain('lambdas/adapters/aws/documents.ts');
    const others = Object.values(OPTIONAL_ADAPTERS).filter((file) => file !== OPTIONAL_ADAPTERS.events);
    expect(files.filter((file) => others.includes(file))).toEqual([]);
    expect([...bundledPackages(files)].filter((name) => SDK_CLIENTS.test(name))).toEqual([]);
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

  test('one granted a bucket, queues, the bus and the keys has every adapter, and still no SDK client', () => {
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

    const files = bundledFiles(bundleDir);
    expect(files).toEqual(expect.arrayContaining(Object.values(OPTIONAL_ADAPTERS)));
    expect([...bundledPackages(files)].filter((name) => SDK_CLIENTS.test(name))).toEqual([]);
    // A static node:http import loads Node's undici with it (docs/ARCHITECTURE.md §6); the SDK imports it only for http://.
    expect(readFileSync(join(bundleDir, 'index.mjs'), 'utf8')).not.toMatch(/from\s*["'](node:)?http["']/);
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

// zod/mini loads no locale: the functions configure English, and a bundle must keep that configuration.
test("a function's bundle answers bad input in zod's English words where the schema has none of its own", () => {
  const bundleDir = bundle(FUNCTIONS.accept);
  const event = {
    httpMethod: 'POST',
    resource: '/accept',
    path: '/accept',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ encoded: 'e', name: 5, device: 'laptop' }),
    requestContext: { identity: {} },
  };
  const answer = runHandler(bundleDir, event, { awsRequestId: 'request-1' }) as { statusCode: number; body: string };

  expect(answer.statusCode).toBe(400);
  expect(JSON.parse(answer.body).error.details.issues).toEqual([
    { field: 'name', message: 'Invalid input: expected string, received number' },
    { field: 'device', message: 'Invalid input: expected object, received string' },
  ]);
}, 60_000);
