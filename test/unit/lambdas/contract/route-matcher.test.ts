import type { RouteDefinition } from '../../../../lambdas/contract/routes';
import { routeMatcher } from '../../../../lambdas/contract/route-matcher';

const route = (method: RouteDefinition['method'], path: string): RouteDefinition => ({
  method,
  path,
  function: 'invitationsRead',
  principal: 'admin',
  summary: path,
  status: 200,
});

const routes = [
  route('GET', '/invitations/{id}'),
  route('POST', '/invitations/lookup'),
  route('DELETE', '/invitations/{id}/devices/{deviceId}'),
  route('GET', '/health'),
];
const match = routeMatcher(routes);

describe('routeMatcher', () => {
  it('matches a template and decodes its parameters', () => {
    expect(match('DELETE', '/invitations/inv%2001/devices/dev%2Bx')).toEqual({
      route: routes[2],
      pathParameters: { id: 'inv 01', deviceId: 'dev+x' },
    });
  });

  it('prefers a literal segment over a parameter, without falling back to it for another method', () => {
    expect(match('POST', '/invitations/lookup')?.route).toBe(routes[1]);
    expect(match('GET', '/invitations/lookup')).toBeUndefined();
  });

  it('matches nothing for an unknown path, a partial path or another method', () => {
    expect(match('GET', '/nowhere')).toBeUndefined();
    expect(match('GET', '/invitations')).toBeUndefined();
    expect(match('POST', '/health')).toBeUndefined();
  });

  it('ignores a trailing slash', () => {
    expect(match('GET', '/health/')?.route).toBe(routes[3]);
  });

  it('serves every route of the real route table', () => {
    const real = routeMatcher();
    expect(real('GET', '/registry/validate')?.route.function).toBe('registry');
    expect(real('POST', '/invitations/01ABC/rotate')).toMatchObject({
      route: { function: 'invitationsManage' },
      pathParameters: { id: '01ABC' },
    });
  });
});
