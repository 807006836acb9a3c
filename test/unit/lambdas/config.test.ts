import { checkNumberSettings, config } from '../../../lambdas/config';
import { ENV } from '../../../system/resources';

describe('the lastSeenAt interval a function is configured with', () => {
  const saved = process.env[ENV.lastSeenIntervalSeconds];
  afterEach(() => {
    if (saved === undefined) delete process.env[ENV.lastSeenIntervalSeconds];
    else process.env[ENV.lastSeenIntervalSeconds] = saved;
  });
  const configured = (value: string | undefined) => {
    if (value === undefined) delete process.env[ENV.lastSeenIntervalSeconds];
    else process.env[ENV.lastSeenIntervalSeconds] = value;
    return config.lastSeenIntervalSeconds();
  };

  test('is 300 seconds unless set', () => {
    expect(configured(undefined)).toBe(300);
    expect(configured('')).toBe(300);
  });

  test.each([
    ['0', 0],
    ['600', 600],
    ['3600', 3600],
  ])('is %s when set to it', (value, seconds) => {
    expect(configured(value)).toBe(seconds);
  });

  test.each(['-1', '3601', '1.5', 'five'])('refuses %j', (value) => {
    expect(() => configured(value)).toThrow(
      `Environment variable ${ENV.lastSeenIntervalSeconds} must be a whole number from 0 to 3600`,
    );
  });
});

describe('the number settings checked at a start', () => {
  const names = [ENV.retentionDays, ENV.batchMaxRows, ENV.defaultMaxDescendants, ENV.lastSeenIntervalSeconds];
  const saved = names.map((name) => process.env[name]);
  afterEach(() =>
    names.forEach((name, index) => {
      if (saved[index] === undefined) delete process.env[name];
      else process.env[name] = saved[index];
    }),
  );

  test('pass when unset', () => {
    for (const name of names) delete process.env[name];
    expect(() => checkNumberSettings()).not.toThrow();
  });

  test.each(names)('stop at a malformed %s, naming it', (name) => {
    process.env[name] = 'five';
    expect(() => checkNumberSettings()).toThrow(`Environment variable ${name} must be a whole number`);
  });
});
