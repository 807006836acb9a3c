#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so it works from a checkout, `npx prism-registry` and `npm link` alike.
import { tsImport } from 'tsx/esm/api';

const { run } = await tsImport('../cli/main.ts', import.meta.url);
process.exitCode = await run(process.argv.slice(2));
