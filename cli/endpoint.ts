import { embeddedStackEndpoint } from './embedded-stack';
import { CliError } from './errors';

export type Env = Record<string, string | undefined>;

/**
 * API base URL: `--endpoint`, else `PRISM_REGISTRY_API`, else `CWS_REGISTRY_API`, else the embedded stack. Each
 * may name the API base or, as the reference client's `CWS_REGISTRY_API` does, its `<api base>/registry`.
 */
export function resolveEndpoint(option: string | undefined, env: Env): URL {
  const candidates: [source: string, value: string | undefined][] = [
    ['--endpoint', option],
    ['PRISM_REGISTRY_API', env.PRISM_REGISTRY_API],
    ['CWS_REGISTRY_API', env.CWS_REGISTRY_API],
  ];
  const given = candidates.find((candidate): candidate is [string, string] => Boolean(candidate[1]?.trim()));
  const [source, value] = given ?? ['the embedded stack', embeddedStackEndpoint(env)];
  return parseEndpoint(source, value.trim());
}

function parseEndpoint(source: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${source}: not a URL: ${value}`, 'invalid_endpoint');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${source}: must be an http or https URL: ${value}`, 'invalid_endpoint');
  }
  // No administrator route lives under /registry: a URL ending there names the reference client's contract.
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/registry$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

export const isLoopback = (url: URL) =>
  url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);

/** The region of an API Gateway default endpoint, `<id>.execute-api.<region>.amazonaws.com[.cn]`. */
export const regionOf = (url: URL): string | undefined =>
  /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1];
