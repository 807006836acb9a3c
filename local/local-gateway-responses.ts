import type { GatewayResponseDefinition } from '../lambdas/gateway-responses';

/** The function failed or gave an answer that is not a proxy result (API Gateway: 502 "Internal server error"). */
export const INTEGRATION_FAILURE: GatewayResponseDefinition = {
  type: 'DEFAULT_5XX',
  status: 502,
  code: 'internal_error',
  message: 'Internal server error',
};

/** The authorizer failed or gave a malformed answer (API Gateway: 500 AuthorizerConfigurationException). */
export const AUTHORIZER_FAILURE: GatewayResponseDefinition = {
  type: 'AUTHORIZER_FAILURE',
  status: 500,
  code: 'internal_error',
  message: 'Internal server error',
};
