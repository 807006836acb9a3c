import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { SHARED_REGISTRY_VARIABLE } from './support/registry-template';

export default function globalTeardown(): void {
  const file = process.env[SHARED_REGISTRY_VARIABLE];
  if (file) rmSync(dirname(file), { recursive: true, force: true });
}
