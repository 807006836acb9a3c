import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dynamoDbLocalJarDir } from '../../../../local/emulators/dynamodb-local';
import { compiledLauncher, LAUNCHER_CLASS } from '../../../../local/emulators/launcher';
import { scratchFolder } from '../../../support/scratch';

jest.setTimeout(60_000);

const jar = join(dynamoDbLocalJarDir(), 'DynamoDBLocal.jar');

const cache = scratchFolder('prism-launcher-');

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
