import type { AuditEventView } from '../../../lambdas/contract/views';
import { href } from '../router';

/**
 * Where an audit event's target can be looked at in the console: an invitation, a batch or a job. A device's events
 * name the device; their details name its invitation, which is where the device is shown.
 */
export function targetHref(event: Pick<AuditEventView, 'action' | 'targetId' | 'details'>): string | undefined {
  const [area] = event.action.split('.');
  switch (area) {
    case 'invitation':
    case 'devices':
      return href.invitation(event.targetId);
    case 'device': {
      const { invitationId } = event.details;
      return typeof invitationId === 'string' ? href.invitation(invitationId) : undefined;
    }
    case 'batch':
      return href.batch(event.targetId);
    case 'job':
    case 'export':
    case 'emergency':
      return href.job(event.targetId);
    default:
      return undefined;
  }
}
