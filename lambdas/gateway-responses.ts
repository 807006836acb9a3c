/**
 * Answers the API gateway gives on its own (before any handler runs), in the registry's error
 * shape. CDK installs them as API Gateway gateway responses; the embedded gateway answers the same.
 */
export interface GatewayResponseDefinition {
  /** API Gateway `ResponseType`. */
  type: string;
  status: number;
  code: string;
  message: string;
}

export const GATEWAY_RESPONSES = {
  unauthorized: { type: 'UNAUTHORIZED', status: 401, code: 'unauthorized', message: 'Authentication required' },
  accessDenied: { type: 'ACCESS_DENIED', status: 403, code: 'forbidden', message: 'Not authorized for this route' },
  missingAuthentication: {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    code: 'missing_authentication',
    message: 'Missing authentication (administrator routes need a SigV4-signed request), or no such route',
  },
  invalidSignature: {
    type: 'INVALID_SIGNATURE',
    status: 403,
    code: 'invalid_signature',
    message: 'Request signature does not match',
  },
  expiredToken: {
    type: 'EXPIRED_TOKEN',
    status: 403,
    code: 'expired_credentials',
    message: 'Request signature or credentials expired',
  },
  requestTooLarge: {
    type: 'REQUEST_TOO_LARGE',
    status: 413,
    code: 'request_too_large',
    message: 'Request body too large',
  },
  throttled: { type: 'THROTTLED', status: 429, code: 'throttled', message: 'Too many requests' },
  /** The function failed or answered something that is not a proxy result. */
  integrationFailure: { type: 'DEFAULT_5XX', status: 502, code: 'internal_error', message: 'Internal server error' },
  /** The authorizer failed or answered something malformed. */
  authorizerFailure: {
    type: 'AUTHORIZER_FAILURE',
    status: 500,
    code: 'internal_error',
    message: 'Internal server error',
  },
} as const satisfies Record<string, GatewayResponseDefinition>;

/** The error body: `{"error":{"code","message","requestId"}}`. */
export const gatewayErrorBody = (response: GatewayResponseDefinition, requestId: string): string =>
  JSON.stringify({ error: { code: response.code, message: response.message, requestId } });
