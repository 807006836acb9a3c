import { sidecarOptions } from '../../../../lambdas/domain/batch-options';
import * as z from '../../../../lambdas/domain/zod';

// zod/mini has no locale of its own: without the module's English, each of these would read "Invalid input".
describe('zod as the functions import it', () => {
  test('writes its own messages in English: a value of the wrong type, a bound, an unknown key', () => {
    const schema = z.strictObject({ name: z.string(), tags: z.optional(z.array(z.string()).check(z.maxLength(2))) });

    const result = z.safeParse(schema, { name: 5, tags: ['a', 'b', 'c'], colour: 'blue' });

    expect(result.error?.issues.map(({ path, message }) => [path.join('.'), message])).toEqual([
      ['name', 'Invalid input: expected string, received number'],
      ['tags', 'Too big: expected array to have <=2 items'],
      ['', 'Unrecognized key: "colour"'],
    ]);
  });

  test('a parser of the domain words its refusals so', () => {
    expect(() => sidecarOptions('drop/roster.csv', JSON.stringify({ colour: 'blue' }))).toThrow(
      'drop/roster.csv.json: options: Unrecognized key: "colour"',
    );
    expect(() => sidecarOptions('drop/roster.csv', JSON.stringify({ parentId: 5 }))).toThrow(
      'drop/roster.csv.json: parentId: Invalid input: expected string, received number',
    );
  });
});
