import { decodeComponent } from '../../lambdas/contract/route-matcher';

const decodeQueryComponent = (text: string): string => decodeComponent(text.replace(/\+/g, ' '));

/**
 * The query string's parameters in order, decoded as API Gateway decodes them: `%XX` escapes, and `+` as a space
 * (form encoding, what URLSearchParams writes). A parameter without `=` has the empty value.
 */
export function parseQueryString(query: string): [string, string][] {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const [name, value] = equals < 0 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [decodeQueryComponent(name), decodeQueryComponent(value)];
    });
}

/** Splits a request target (`/path?query`) into its path and raw query string. */
export function splitRequestTarget(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, query: '' } : { path: target.slice(0, mark), query: target.slice(mark + 1) };
}
