import { mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHARED_REGISTRY_VARIABLE } from './registry-template';

// A test file's apps write their cloud assemblies one after another into a folder of the file's own, inside
// the run's scratch folder (test/infra/global-setup.ts): apps synthesized in parallel never share a folder.
const shared = process.env[SHARED_REGISTRY_VARIABLE];
if (shared) process.env.CDK_OUTDIR = mkdtempSync(join(dirname(shared), 'assembly-'));
