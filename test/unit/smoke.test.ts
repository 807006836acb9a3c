import middy from '@middy/core';
import { ulid } from 'ulid';
test('esm deps load', async () => {
  const h = middy(async () => ulid());
  expect(typeof (await h({}, {} as never))).toBe('string');
  expect(process.version).toMatch(/^v22/);
});
