import { InvalidArgumentError } from 'commander';
import { parseBoolean, parseWholeNumber } from '../../../cli/flags';

describe('parseBoolean', () => {
  it.each([
    ['yes', true],
    ['YES', true],
    ['y', true],
    ['true', true],
    ['True', true],
    ['t', true],
    ['1', true],
    ['no', false],
    ['N', false],
    ['false', false],
    ['f', false],
    ['0', false],
  ])('%s → %s', (text, value) => expect(parseBoolean(text)).toBe(value));

  it.each(['maybe', '', '2', 'yess', 'on'])('refuses %j instead of reading it as false', (text) => {
    expect(() => parseBoolean(text)).toThrow(InvalidArgumentError);
  });
});

describe('parseWholeNumber', () => {
  it.each([
    ['3', 3],
    ['30', 30],
    ['0365', 365],
  ])('%s → %d', (text, value) => expect(parseWholeNumber(text)).toBe(value));

  it.each(['1.5', '-1', 'abc', '', '1e3', '3 days'])('refuses %j', (text) => {
    expect(() => parseWholeNumber(text)).toThrow(InvalidArgumentError);
  });
});
