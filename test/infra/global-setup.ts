import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_REGISTRY_VARIABLE, synthRegistry, type SharedRegistryFile } from './support/registry-template';

/**
 * Synthesizes the default registry stack once for the whole infra run and leaves its template and ids in a
 * scratch file that `SHARED_REGISTRY_VARIABLE` names; test workers inherit the variable (sharedRegistry).
 */
export default function globalSetup(): void {
  const { template, ids } = synthRegistry();
  const file = join(mkdtempSync(join(tmpdir(), 'prism-infra-')), 'registry.json');
  const shared: SharedRegistryFile = { template: template.toJSON(), ids };
  writeFileSync(file, JSON.stringify(shared));
  process.env[SHARED_REGISTRY_VARIABLE] = file;
}
