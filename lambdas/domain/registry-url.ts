/** Where the reference client's registry contract lives below the API's base URL (`CWS_REGISTRY_API=<api>/registry`). */
export const REGISTRY_PATH = '/registry';

/**
 * Why `value` cannot be the URL devices register against (the `registry_api` of encoded invitations), or
 * undefined when it can: an absolute URL of one of `protocols`, in its canonical spelling, without credentials,
 * query or fragment, its path ending in REGISTRY_PATH.
 */
export function registryUrlProblem(value: string, protocols: readonly ('http:' | 'https:')[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (!(protocols as readonly string[]).includes(url.protocol))
    return `must use ${protocols.map((protocol) => protocol.slice(0, -1)).join(' or ')}`;
  if (url.username || url.password) return 'must not carry credentials';
  if (value.includes('?') || value.includes('#')) return 'must not have a query or a fragment';
  if (!url.pathname.endsWith(REGISTRY_PATH)) return `must end in ${REGISTRY_PATH}`;
  // Signed into invitations as it stands: one spelling for one URL.
  if (url.href !== value) return `must be written as ${url.href}`;
  return undefined;
}
