import { ROUTES } from '../../../../lambdas/contract/routes';

describe('the route table', () => {
  test('siblings share one path variable name, as API Gateway requires of a resource tree', () => {
    const variablesUnder = new Map<string, Set<string>>();
    for (const { path } of ROUTES) {
      const segments = path.split('/');
      segments.forEach((segment, n) => {
        if (!segment.startsWith('{')) return;
        const parent = segments.slice(0, n).join('/');
        variablesUnder.set(parent, (variablesUnder.get(parent) ?? new Set()).add(segment));
      });
    }
    const conflicts = [...variablesUnder].filter(([, names]) => names.size > 1).map(([parent]) => parent);
    expect(conflicts).toEqual([]);
  });

  test('every route is unique', () => {
    const keys = ROUTES.map(({ method, path }) => `${method} ${path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
