import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import { invitationForToken } from '../usecases/lookup';
import { actorOfInvitation } from '../domain/audit';
import { DELEGATE_CREDENTIALS_HEADER } from '../contract/routes';

const SCHEME = /^Invitation\s+(\S+)$/i;

/**
 * Authenticates delegates: `Authorization: Invitation <token>` must name a current token. API Gateway
 * answers 401 when this throws `Unauthorized`. The delegate routes then check that the invitation is
 * usable, its device, and what it may create, with errors that name the rule.
 */
export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const header = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === DELEGATE_CREDENTIALS_HEADER.toLowerCase(),
  )?.[1];
  const token = header && SCHEME.exec(header)?.[1];
  const invitation = token ? await invitationForToken(defaultDeps(), token) : undefined;
  if (!invitation) throw new Error('Unauthorized');
  return {
    principalId: actorOfInvitation(invitation.value.id),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: { invitationId: invitation.value.id },
  };
};
