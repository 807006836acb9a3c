import { EMAIL_LIMITS, checkEmail, emailProblem } from '../../../../lambdas/domain/email';
import { RegistryError } from '../../../../lambdas/domain/errors';

/** A plausible domain of `length` characters: labels of at most 63, then `.org`. */
function domainOf(length: number): string {
  const labels: string[] = [];
  let left = length - '.org'.length;
  for (; left > 63; left -= 63) labels.push('d'.repeat(62));
  return [...labels, 'd'.repeat(left), 'org'].join('.');
}

describe('a plausible address (SPEC §1.1 email)', () => {
  test.each([
    'ana@example.com',
    'Ana.Lopez+cs101@Example.EDU',
    "o'brien@mail.example.co.uk",
    'first_last-1@sub-domain.example.io',
    'josé@exemple.fr',
    'ana@xn--bcher-kva.example',
    '=cmd@x.io',
    `inv-${'A'.repeat(43)}@example.com`,
  ])('%s is one', (address) => {
    expect(emailProblem(address)).toBeUndefined();
  });

  test.each([
    ['', 'must look like local@domain.tld'],
    ['ana', 'must look like local@domain.tld'],
    ['@example.com', 'must look like local@domain.tld'],
    ['ana@', 'must look like local@domain.tld'],
    ['ana@localhost', 'must look like local@domain.tld'],
    ['ana@example.c', 'must look like local@domain.tld'],
    ['ana@example.123', 'must look like local@domain.tld'],
    ['ana@-example.com', 'must look like local@domain.tld'],
    ['ana@example..com', 'must look like local@domain.tld'],
    ['.ana@example.com', 'must look like local@domain.tld'],
    ['ana.@example.com', 'must look like local@domain.tld'],
    ['an..a@example.com', 'must look like local@domain.tld'],
    ['ana@b@example.com', 'must look like local@domain.tld'],
    [`inv-${'A'.repeat(43)}`, 'must look like local@domain.tld'],
    ['Ana <ana@example.com>', 'must be the address alone, without a display name, quotes or <>'],
    ['"ana"@example.com', 'must be the address alone, without a display name, quotes or <>'],
    ['ana@example.com,bo@example.com', 'must be a single address (no commas or semicolons)'],
    ['ana@example.com; bo@example.com', 'must be a single address (no commas or semicolons)'],
    ['ana lopez@example.com', 'must not contain spaces'],
    ['ana\u00a0lopez@example.com', 'must not contain spaces'],
    ['ana\tlopez@example.com', 'must not contain control characters (found U+0009 at character 4)'],
    ['ana@example.com\u0000', 'must not contain control characters (found U+0000 at character 16)'],
    ['ana\r\nBcc: eve@example.com', 'must not contain control characters (found U+000D at character 4)'],
  ])('%j is not: %s', (address, problem) => {
    expect(emailProblem(address)).toBe(problem);
  });

  test('at most 254 characters in all and 64 before the @, counted as characters', () => {
    const local = 'a'.repeat(EMAIL_LIMITS.localMax);
    expect(emailProblem(`${local}@${domainOf(254 - 65)}`)).toBeUndefined();
    expect(emailProblem(`${local}@${domainOf(255 - 65)}`)).toBe('must be at most 254 characters');
    expect(emailProblem(`${local}a@example.com`)).toBe('must have at most 64 characters before the @');
    expect(emailProblem(`${'é'.repeat(64)}@example.com`)).toBeUndefined();
    expect(emailProblem(`a@${'d'.repeat(64)}.com`)).toBe('must look like local@domain.tld');
  });

  test('a 20 KB text is refused for its length without reading its shape', () => {
    expect(emailProblem(`${'a'.repeat(20_480)}@example.com`)).toBe('must be at most 254 characters');
  });

  test('no problem quotes the address back', () => {
    for (const address of ['secret-person@example', 'secret person@example.com', `${'s'.repeat(65)}@example.com`]) {
      expect(emailProblem(address)).not.toContain('secret');
      expect(emailProblem(address)).not.toContain('sss');
    }
  });
});

describe('checkEmail', () => {
  test('trims, and otherwise keeps the address exactly as given: nothing lower-cased', () => {
    expect(checkEmail('  Ana.Lopez@Example.EDU \t')).toBe('Ana.Lopez@Example.EDU');
  });

  test('an implausible address is a 400 naming the email field', () => {
    const error = (() => {
      try {
        checkEmail('ana@localhost');
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'email: must look like local@domain.tld',
      details: { field: 'email' },
    });
  });
});
