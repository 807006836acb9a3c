/**
 * Answers the API gateway gives on its own (before any handler runs), in the registry's error
 * shape. CDK installs them as API Gateway gateway responses; the embedded gateway answers the same.
 */
export interface GatewayResponseDefinition {
  /** API Gateway `ResponseType`. */
  type: string;
  status: number;
  code: string;
  /** The message of the embedded gateway, and of API Gateway unless `cloudMessage` replaces it. */
  message: string;
  /** What API Gateway writes as the message instead: a `$context` variable it fills in. */
  cloudMessage?: string;
}

/** The media type API Gateway checks request bodies of against a route's model (a request without a type counts). */
export const REQUEST_MODEL_MEDIA_TYPE = 'application/json';

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
  /**
   * Request validation, here of the body. API Gateway checks a body against the route's model and the parameters
   * it requires, both generated from the zod schemas the handler parses with and never stricter than them:
   * whatever API Gateway refuses, the handler refuses too, with the same status and code (400 `invalid_request`).
   * So the embedded gateway leaves these checks to the handler, except malformed JSON, which API Gateway refuses
   * before any function runs. Only the message differs between the two: API Gateway's validator words its own
   * (`validationErrorString`), the handler words zod's and names the field in `details`.
   */
  badRequestBody: {
    type: 'BAD_REQUEST_BODY',
    status: 400,
    code: 'invalid_request',
    message: 'Request body is not valid JSON',
    cloudMessage: '$context.error.validationErrorString',
  },
  /** Request validation of the parameters a route requires (see badRequestBody). */
  badRequestParameters: {
    type: 'BAD_REQUEST_PARAMETERS',
    status: 400,
    code: 'invalid_request',
    message: 'A required request parameter is missing or blank',
    cloudMessage: '$context.error.validationErrorString',
  },
  /** AWS WAF refused the request with a rule that has no answer of its own (the embedded stack has no firewall). */
  wafFiltered: { type: 'WAF_FILTERED', status: 403, code: 'forbidden', message: 'Request refused by the firewall' },
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

/**
 * The error body: `{"error":{"code","message","requestId"}}`; without `requestId` only where the gateway
 * answering cannot know it (the fixed bodies of AWS WAF).
 */
export const gatewayErrorBody = (response: GatewayResponseDefinition, requestId?: string): string =>
  JSON.stringify({ error: { code: response.code, message: response.message, requestId } });

/** The body template of an API Gateway gateway response: the error body with its `$context` variables. */
export const gatewayResponseTemplate = (response: GatewayResponseDefinition): string =>
  gatewayErrorBody({ ...response, message: response.cloudMessage ?? response.message }, '$context.requestId');
