import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  PolicyDocument,
  Statement,
} from 'aws-lambda';
import { GATEWAY_RESPONSES, type GatewayResponseDefinition } from '../../lambdas/contract/gateway-responses';
import type { InvokeFunction } from '../stack/lambda-runtime';

export type AuthorizerVerdict =
  | { allowed: true; principalId: string; context: Record<string, string> }
  | { allowed: false; response: GatewayResponseDefinition; failure?: unknown };

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcard matching: `*` any run of characters, `?` any one character. */
function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

function statementCovers(statement: Statement, methodArn: string): boolean {
  const actions = 'Action' in statement ? asList(statement.Action) : [];
  const resources = 'Resource' in statement ? asList(statement.Resource) : [];
  return (
    actions.some((action) => wildcardMatches(action, 'execute-api:Invoke')) &&
    resources.some((resource) => wildcardMatches(resource, methodArn))
  );
}

/** An explicit Deny wins; otherwise some Allow must cover the method. */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  const covering = policy.Statement.filter((statement) => statementCovers(statement, methodArn));
  return covering.some((s) => s.Effect === 'Allow') && !covering.some((s) => s.Effect === 'Deny');
}

const isAuthorizerResult = (value: unknown): value is APIGatewayAuthorizerResult =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as APIGatewayAuthorizerResult).principalId === 'string' &&
  Array.isArray((value as APIGatewayAuthorizerResult).policyDocument?.Statement);

/** API Gateway hands the function the authorizer's context values as strings; objects and arrays are refused. */
function stringContext(context: APIGatewayAuthorizerResult['context']): Record<string, string> | undefined {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(context ?? {})) {
    if (value !== null && typeof value === 'object') return undefined;
    strings[key] = String(value);
  }
  return strings;
}

/** Runs the REQUEST authorizer function, uncached, and judges its answer as API Gateway would. */
export async function runAuthorizer(
  invoke: InvokeFunction,
  event: APIGatewayRequestAuthorizerEvent,
  requestId: string,
): Promise<AuthorizerVerdict> {
  let result: unknown;
  try {
    result = await invoke('authorizer', event, requestId);
  } catch (error) {
    if (error instanceof Error && error.message === 'Unauthorized') {
      return { allowed: false, response: GATEWAY_RESPONSES.unauthorized };
    }
    return { allowed: false, response: GATEWAY_RESPONSES.authorizerFailure, failure: error };
  }
  const context = isAuthorizerResult(result) ? stringContext(result.context) : undefined;
  if (!isAuthorizerResult(result) || !context) {
    return {
      allowed: false,
      response: GATEWAY_RESPONSES.authorizerFailure,
      failure: new Error('malformed authorizer answer'),
    };
  }
  if (!policyAllows(result.policyDocument, event.methodArn)) {
    return { allowed: false, response: GATEWAY_RESPONSES.accessDenied };
  }
  return { allowed: true, principalId: result.principalId, context };
}
