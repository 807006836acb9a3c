import { characterCount, controlCharacterProblem, shortened, visible } from '../../../../lambdas/domain/text';

describe('text values', () => {
  test('characters are counted as a person counts them, not in UTF-16 units', () => {
    expect(characterCount('Zoë 🎉 日本')).toBe(8);
    expect('🎉'.length).toBe(2);
  });

  test.each([
    ['\u0000', 'U+0000'],
    ['\r', 'U+000D'],
    ['\u001f', 'U+001F'],
    ['\u007f', 'U+007F'],
    ['\u009b', 'U+009B'],
  ])('%j is refused wherever it is, named with its position', (character, name) => {
    expect(controlCharacterProblem(`🎉a${character}b`, { freeText: true })).toBe(
      `must not contain control characters (found ${name} at character 3)`,
    );
  });

  test('a tab is free text: allowed in a name or a reason, refused in an identifier', () => {
    expect(controlCharacterProblem('a\tb', { freeText: true })).toBeUndefined();
    expect(controlCharacterProblem('a\tb', { freeText: false })).toBe(
      'must not contain control characters (found U+0009 at character 2)',
    );
  });

  test('ordinary text, accents, emoji and other scripts pass', () => {
    for (const text of ['Ana López', 'Zoë, "Z"', '日本語 🎉', '\u00a0non-breaking', '']) {
      expect(controlCharacterProblem(text, { freeText: false })).toBeUndefined();
    }
  });

  test('a value quoted back is cut to a length in characters, marked when cut, its controls made visible', () => {
    expect(shortened('🎉'.repeat(5), 3)).toBe('🎉🎉🎉…');
    expect(shortened('short', 5)).toBe('short');
    expect(visible('a\u0000b\tc\u001b')).toBe('a\\u0000b\tc\\u001B');
  });
});
