import type { APIGatewayProxyEvent } from 'aws-lambda';
import { actorOfInvitation } from '../domain/audit';
import { errors } from '../domain/errors';
import type { PrincipalKind } from '../contract/routes';

export type Principal =
  | { kind: 'admin'; actor: string }
  | { kind: 'delegate'; actor: string; invitationId: string }
  | { kind: 'recipient'; actor: string }
  | { kind: 'public'; actor: string };

/**
 * Establishes the caller of a route from what the gateway verified: the IAM principal of a SigV4
 * request (administrator), the invitation the authorizer accepted (delegate). A route of either kind
 * that arrives without it is refused here too, whatever the gateway did.
 */
export function principalOf(kind: PrincipalKind, event: APIGatewayProxyEvent): Principal {
  switch (kind) {
    case 'admin': {
      const { userArn, caller } = event.requestContext.identity;
      const actor = userArn ?? caller;
      if (!actor) throw errors.unauthorized('Administrator routes need a SigV4-signed request');
      return { kind, actor };
    }
    case 'delegate': {
      const invitationId = event.requestContext.authorizer?.invitationId as string | undefined;
      if (!invitationId) throw errors.unauthorized('Delegate routes need Authorization: Invitation <token>');
      return { kind, actor: actorOfInvitation(invitationId), invitationId };
    }
    case 'recipient':
      return { kind, actor: 'recipient' };
    case 'public':
      return { kind, actor: 'public' };
  }
}
