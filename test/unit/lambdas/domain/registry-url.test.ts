import { config } from '../../../../lambdas/config';
import { registryUrlProblem } from '../../../../lambdas/domain/registry-url';
import { ENV } from '../../../../system/resources';

describe('registryUrlProblem', () => {
  test.each([
    ['https://registry.example.com/registry', ['https:']],
    ['https://abc123.execute-api.eu-west-1.amazonaws.com/v1/registry', ['https:']],
    ['http://127.0.0.1:4580/registry', ['http:', 'https:']],
  ] as const)('accepts %s', (value, protocols) => {
    expect(registryUrlProblem(value, protocols)).toBeUndefined();
  });

  test.each([
    ['registry.example.com/registry', 'is not an absolute URL'],
    ['http://registry.example.com/registry', 'must use https'],
    ['https://user:secret@registry.example.com/registry', 'must not carry credentials'],
    ['https://registry.example.com/registry?x=1', 'must not have a query or a fragment'],
    ['https://registry.example.com/registry#top', 'must not have a query or a fragment'],
    ['https://registry.example.com/registry/', 'must end in /registry'],
    ['https://registry.example.com/v1', 'must end in /registry'],
    ['https://Registry.Example.com/registry', 'must be written as https://registry.example.com/registry'],
    ['https://registry.example.com:443/registry', 'must be written as https://registry.example.com/registry'],
  ])('refuses %s: it %s', (value, problem) => {
    expect(registryUrlProblem(value, ['https:'])).toBe(problem);
  });
});

describe('the configured registry URL', () => {
  const saved = process.env[ENV.registryApiUrl];
  afterEach(() => {
    if (saved === undefined) delete process.env[ENV.registryApiUrl];
    else process.env[ENV.registryApiUrl] = saved;
  });

  test('is the variable, and the API URL is it without /registry', () => {
    process.env[ENV.registryApiUrl] = 'https://registry.example.com/prism/registry';
    expect(config.registryApiUrl()).toBe('https://registry.example.com/prism/registry');
    expect(config.apiUrl()).toBe('https://registry.example.com/prism');
  });

  test('is none when the variable is unset or empty', () => {
    delete process.env[ENV.registryApiUrl];
    expect([config.registryApiUrl(), config.apiUrl()]).toEqual([undefined, undefined]);
    process.env[ENV.registryApiUrl] = '';
    expect(config.registryApiUrl()).toBeUndefined();
  });

  test('fails clearly on a value that is not one', () => {
    process.env[ENV.registryApiUrl] = 'https://registry.example.com/v1';
    expect(() => config.registryApiUrl()).toThrow(
      'Environment variable REGISTRY_API_URL must end in /registry, got https://registry.example.com/v1',
    );
  });
});
