import { call } from './gateway-client';
import { referenceClient } from './reference-client';

/** `POST /registry/register` as the reference client sends it. */
export const registerOnRegistry = (registry: string, token: string, deviceId: string, username = 'alice') =>
  referenceClient(registry, { hostname: 'host', username }).register(token, deviceId);

/** `POST /delegate/invitations` as the holder of `token`, from its registered `device`. */
export const delegateInvitation = (endpoint: string, token: string, device: string, body: unknown) =>
  call(endpoint, {
    method: 'POST',
    path: '/delegate/invitations',
    headers: { authorization: `Invitation ${token}`, 'x-prism-device': device, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
