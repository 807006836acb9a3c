import * as z from 'zod/mini';
import type { RouteDefinition } from '../../lambdas/contract/routes';

/**
 * What API Gateway refuses for a required parameter: absent, or blank. Whether it takes a lone space for
 * blank is not documented, so a space counts too.
 */
const MISSING_OR_BLANK = [undefined, '', ' '];

/** A query parameter API Gateway may insist on: one the handler refuses whenever API Gateway would. */
const refusesMissingOrBlank = (field: z.core.$ZodType): boolean =>
  MISSING_OR_BLANK.every((value) => !z.safeParse(field, value).success);

/**
 * The method request parameters of a route (`method.request.path.id` → required): every path parameter, which
 * API Gateway cannot route without, and every query parameter of the route's schema. A query parameter is
 * required only where the handler refuses it missing and blank alike: `?token=` passes a schema that asks for
 * a string, and the handler answers it (an unknown token), so API Gateway must let it through.
 */
export function requestParametersOf(route: Pick<RouteDefinition, 'path' | 'query'>): Record<string, boolean> {
  const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [
    `method.request.path.${name}`,
    true,
  ]);
  const queryFields = route.query instanceof z.ZodMiniObject ? Object.entries(route.query.shape) : [];
  const queryParameters = queryFields.map(([name, field]) => [
    `method.request.querystring.${name}`,
    refusesMissingOrBlank(field),
  ]);
  return Object.fromEntries([...pathParameters, ...queryParameters]);
}
