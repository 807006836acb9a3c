import type { RegistryClient } from './http';
import { invitationIdOf, invitationPath } from './invitation-ref';
import type { InvitationDevices, RevokedAllDevices, RevokedDevice } from '../lambdas/contract/views';

/** Device administration by invitation id or token, shared by `invitations …` and the device-manager forms. */

export const listDevices = async (client: RegistryClient, reference: string) =>
  client.admin<InvitationDevices>({
    method: 'GET',
    path: invitationPath(await invitationIdOf(client, reference), 'devices'),
  });

export const revokeDevice = async (client: RegistryClient, reference: string, deviceId: string, reason?: string) =>
  client.admin<RevokedDevice>({
    method: 'DELETE',
    path: invitationPath(await invitationIdOf(client, reference), 'devices', deviceId),
    query: { reason },
  });

export const revokeAllDevices = async (client: RegistryClient, reference: string, reason?: string) =>
  client.admin<RevokedAllDevices>({
    method: 'DELETE',
    path: invitationPath(await invitationIdOf(client, reference), 'devices'),
    query: { reason },
  });
