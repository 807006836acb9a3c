import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import type { Metafile } from 'esbuild';
import { FUNCTIONS, type FunctionName } from '../../system/functions';
import { projectRoot } from '../../local/stack/paths';
import { BUNDLE_METAFILES_CONTEXT } from '../../lib/constructs/registry-function';
import { RegistryStack } from '../../lib/registry-stack';

/** A package's share of a bundle, as esbuild's metafile counts it; the project's own code by its top folder. */
export interface BundledPackage {
  name: string;
  bytes: number;
}

export interface FunctionBundle {
  name: FunctionName;
  /** The bundle's `index.mjs`, the module Lambda imports. */
  file: string;
  bytes: number;
  /** Every package with code in the bundle, the largest first. */
  packages: BundledPackage[];
  /** The function's environment as deployed, with deploy-time references replaced by placeholders. */
  environment: Record<string, string>;
}

interface FunctionResource {
  Metadata: { 'aws:asset:path': string };
  Properties: { Environment?: { Variables?: Record<string, unknown> } };
}

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

const cdkContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(projectRoot(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** The table name and secret ARN are CloudFormation references; functions only read them when called. */
const placeholders = (variables: Record<string, unknown> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `bench-${name}`]),
  );

/** `node_modules/@scope/name/…` is that package; the project's own `lambdas/adapters/x.ts` counts as `lambdas/adapters`. */
const packageOf = (input: string): string =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, -1).join('/');

/** The bytes each package adds to the bundle, from the metafile esbuild wrote beside it. */
function packagesOf(metafileFile: string): BundledPackage[] {
  const { outputs } = JSON.parse(readFileSync(metafileFile, 'utf8')) as Metafile;
  const bytes = new Map<string, number>();
  for (const output of Object.values(outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Synthesizes the registry stack into `outdir`, so every function is bundled exactly as `cdk synth` and
 * `cdk deploy` bundle it (with esbuild's metafile beside each bundle), and finds each function's bundle through the
 * template's asset metadata.
 */
export function synthesizeBundles(outdir: string): FunctionBundle[] {
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({
    outdir,
    context: {
      ...cdkContext(),
      'aws:cdk:enable-asset-metadata': true,
      [BUNDLE_METAFILES_CONTEXT]: true,
    },
  });
  const stack = new RegistryStack(app, 'PrismRegistryBench');
  const { Resources } = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, FunctionResource>;
  };
  return FUNCTION_NAMES.map((name) => {
    const resource = Resources[stack.getLogicalId(stack.functions.byName[name].node.defaultChild as CfnElement)]!;
    const bundleDir = join(outdir, resource.Metadata['aws:asset:path']);
    const file = join(bundleDir, 'index.mjs');
    return {
      name,
      file,
      bytes: statSync(file).size,
      packages: packagesOf(join(bundleDir, 'index.meta.json')),
      environment: placeholders(resource.Properties.Environment?.Variables),
    };
  });
}
