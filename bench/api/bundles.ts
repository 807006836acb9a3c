import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionName } from '../../system/functions';
import { projectRoot } from '../../local/stack/paths';
import { RegistryStack } from '../../lib/registry-stack';

export interface FunctionBundle {
  name: FunctionName;
  /** The bundle's `index.mjs`, the module Lambda imports. */
  file: string;
  bytes: number;
  sourceMapBytes: number;
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

/**
 * Synthesizes the registry stack into `outdir`, so every function is bundled exactly as `cdk synth` and
 * `cdk deploy` bundle it, and finds each function's bundle through the template's asset metadata.
 */
export function synthesizeBundles(outdir: string): FunctionBundle[] {
  rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, context: { ...cdkContext(), 'aws:cdk:enable-asset-metadata': true } });
  const stack = new RegistryStack(app, 'PrismRegistryBench');
  const { Resources } = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, FunctionResource>;
  };
  return FUNCTION_NAMES.map((name) => {
    const resource = Resources[stack.getLogicalId(stack.functions.byName[name].node.defaultChild as CfnElement)]!;
    const file = join(outdir, resource.Metadata['aws:asset:path'], 'index.mjs');
    return {
      name,
      file,
      bytes: statSync(file).size,
      sourceMapBytes: statSync(`${file}.map`).size,
      environment: placeholders(resource.Properties.Environment?.Variables),
    };
  });
}
