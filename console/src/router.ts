import { useEffect, useState } from 'preact/hooks';

/** The console's views, addressed by the URL's fragment (`#/invitations/<id>`): no server round trip, no history API. */
export type Route =
  | { view: 'overview' }
  | { view: 'invitations' }
  | { view: 'invitation'; id: string }
  | { view: 'batches' }
  | { view: 'batch'; id: string }
  | { view: 'jobs' }
  | { view: 'job'; id: string }
  | { view: 'audit' };

const LISTS = { invitations: 'invitation', batches: 'batch', jobs: 'job' } as const;

/** The route a fragment names; anything else is the overview. */
export function parseRoute(hash: string): Route {
  const [first, second, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (first === 'audit' && second === undefined) return { view: 'audit' };
  if (first === 'invitations' || first === 'batches' || first === 'jobs') {
    if (second === undefined || second === '') return { view: first };
    if (rest.length === 0) return { view: LISTS[first], id: decodeURIComponent(second) };
  }
  return { view: 'overview' };
}

export const href = {
  overview: () => '#/overview',
  invitations: () => '#/invitations',
  invitation: (id: string) => `#/invitations/${encodeURIComponent(id)}`,
  batches: () => '#/batches',
  batch: (id: string) => `#/batches/${encodeURIComponent(id)}`,
  jobs: () => '#/jobs',
  job: (id: string) => `#/jobs/${encodeURIComponent(id)}`,
  audit: () => '#/audit',
};

export const navigate = (to: string) => {
  window.location.hash = to;
};

/** The route of the page's fragment, following its changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
