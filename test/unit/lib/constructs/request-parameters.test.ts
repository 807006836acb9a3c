import * as z from 'zod/mini';
import { requestParametersOf } from '../../../../lib/constructs/request-parameters';

describe('request parameters', () => {
  test('every path parameter is required', () => {
    expect(requestParametersOf({ path: '/invitations/{id}/devices/{deviceId}' })).toEqual({
      'method.request.path.id': true,
      'method.request.path.deviceId': true,
    });
  });

  // `?token=` passes `z.string()`, and the handler answers it (an unknown token): API Gateway must let it through.
  test('a query parameter is required only where the handler refuses it missing, empty and blank', () => {
    const query = z.strictObject({
      optional: z.optional(z.string()),
      anyString: z.string(),
      nonEmpty: z.string().check(z.minLength(1)),
      nonBlank: z.string().check(z.trim(), z.minLength(1)),
      number: z.coerce.number().check(z.int(), z.gte(1)),
    });
    expect(requestParametersOf({ path: '/things', query })).toEqual({
      'method.request.querystring.optional': false,
      'method.request.querystring.anyString': false,
      'method.request.querystring.nonEmpty': false,
      'method.request.querystring.nonBlank': true,
      'method.request.querystring.number': true,
    });
  });
});
