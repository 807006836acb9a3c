import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../lambdas/contract/openapi';
import { projectRoot } from '../local/stack/paths';

/** Writes docs/openapi.json from the route table, formatted as `prettier --check` expects. */
const file = join(projectRoot(), 'docs', 'openapi.json');
const text = await format(JSON.stringify(openApiDocument()), { ...(await resolveConfig(file)), filepath: file });
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, text);
console.log(`Wrote ${file}`);
