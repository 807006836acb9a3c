import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_REGISTRY_VARIABLE, synthRegistry, type SharedRegistryFile } from './support/registry-template';

/**
 * Synthesizes the default registry stack once for the whole infra run and leaves its template and ids in a
 * scratch file that `SHARED_REGISTRY_VARIABLE` names; test workers inherit the variable (sharedRegistry).
 * The apps built here and in the tests (test/infra/support/assembly-folder.ts) write their cloud assemblies
 * under the same scratch folder, which the teardown removes, rather than in a new temporary folder each.
 */
export default function globalSetup(): void {
  const scratch = mkdtempSync(join(tmpdir(), 'prism-infra-'));
  process.env.CDK_OUTDIR = mkdtempSync(join(scratch, 'assembly-'));
  const { template, ids } = synthRegistry();
  const file = join(scratch, 'registry.json');
  const shared: SharedRegistryFile = { template: template.toJSON(), ids };
  writeFileSync(file, JSON.stringify(shared));
  process.env[SHARED_REGISTRY_VARIABLE] = file;
}
