import type { APIGatewayEventIdentity } from 'aws-lambda';
import { GATEWAY_RESPONSES, type GatewayResponseDefinition } from '../../lambdas/contract/gateway-responses';
import { DELEGATE_CREDENTIALS_HEADER } from '../../lambdas/contract/routes';
import { runAuthorizer } from './authorizer';
import type { InvokeFunction } from '../stack/lambda-runtime';
import { LOCAL_ACCOUNT_ID } from '../emulators/local-aws';
import type { LocalCredentials } from '../stack/paths';
import { anonymousIdentity, authorizerEvent, type GatewayRequest } from './proxy-event';
import type { RouteMatch } from '../../lambdas/contract/route-matcher';
import { verifySigV4, type SigV4Refusal } from './sigv4';

export const LOCAL_ADMIN_USER = 'prism-local-admin';
/** The administrator every request signed with the local credentials acts as. */
export const LOCAL_ADMIN_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${LOCAL_ADMIN_USER}`;

export type Authentication =
  | { ok: true; identity: APIGatewayEventIdentity; authorizer: Record<string, string | number> | null }
  | { ok: false; response: GatewayResponseDefinition; failure?: unknown };

export interface PrincipalDependencies {
  credentials: LocalCredentials;
  invoke: InvokeFunction;
}

const SIGV4_REFUSALS: Record<SigV4Refusal, GatewayResponseDefinition> = {
  missing: GATEWAY_RESPONSES.missingAuthentication,
  date_skew: GATEWAY_RESPONSES.expiredToken,
  malformed: GATEWAY_RESPONSES.invalidSignature,
  unknown_access_key: GATEWAY_RESPONSES.invalidSignature,
  wrong_region: GATEWAY_RESPONSES.invalidSignature,
  wrong_service: GATEWAY_RESPONSES.invalidSignature,
  body_hash_mismatch: GATEWAY_RESPONSES.invalidSignature,
  signature_mismatch: GATEWAY_RESPONSES.invalidSignature,
};

/** Administrator routes: API Gateway's AWS_IAM authorization, against the local credentials. */
async function authenticateAdministrator(request: GatewayRequest, credentials: LocalCredentials) {
  const verdict = await verifySigV4(request, { credentials, service: 'execute-api' });
  if (!verdict.ok) return { ok: false, response: SIGV4_REFUSALS[verdict.reason] } as const;
  const identity: APIGatewayEventIdentity = {
    ...anonymousIdentity(request),
    accessKey: verdict.accessKeyId,
    accountId: LOCAL_ACCOUNT_ID,
    caller: LOCAL_ADMIN_USER,
    user: LOCAL_ADMIN_USER,
    userArn: LOCAL_ADMIN_ARN,
  };
  return { ok: true, identity, authorizer: null } as const;
}

/** Whether the authorizer's identity source is present and not empty, as API Gateway checks it before invoking it. */
function carriesIdentitySource(request: GatewayRequest): boolean {
  const value = request.headers[DELEGATE_CREDENTIALS_HEADER.toLowerCase()];
  return typeof value === 'string' && value !== '';
}

/**
 * Delegate routes: the Lambda REQUEST authorizer, run on every call that carries its identity source (no cache,
 * so revocation bites at once); a call without it is refused without running the authorizer.
 */
async function authenticateDelegate(request: GatewayRequest, match: RouteMatch, invoke: InvokeFunction) {
  if (!carriesIdentitySource(request)) return { ok: false, response: GATEWAY_RESPONSES.unauthorized } as const;
  const startedAt = Date.now();
  const verdict = await runAuthorizer(invoke, authorizerEvent(request, match), request.requestId);
  if (!verdict.allowed) return { ok: false, response: verdict.response, failure: verdict.failure } as const;
  const authorizer = {
    ...verdict.context,
    principalId: verdict.principalId,
    integrationLatency: Date.now() - startedAt,
  };
  return { ok: true, identity: anonymousIdentity(request), authorizer } as const;
}

/** Checks the caller the way the route's principal kind asks for (docs/SPEC.md §4.1). */
export async function authenticate(
  request: GatewayRequest,
  match: RouteMatch,
  { credentials, invoke }: PrincipalDependencies,
): Promise<Authentication> {
  switch (match.route.principal) {
    case 'admin':
      return authenticateAdministrator(request, credentials);
    case 'delegate':
      return authenticateDelegate(request, match, invoke);
    case 'recipient':
    case 'public':
      return { ok: true, identity: anonymousIdentity(request), authorizer: null };
  }
}
