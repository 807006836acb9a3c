/**
 * The one error type the registry raises on purpose. Handlers map it to
 * `{"error":{"code","message","details?","requestId"}}` with `status`.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export const invalid = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new RegistryError(400, 'invalid_request', `${field}: ${message}`, { field, ...details });

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new RegistryError(404, 'not_found', `${what} not found`, details);

export const errors = {
  unauthorized: (message = 'Authentication required') => new RegistryError(401, 'unauthorized', message),
  forbidden: (message: string, code = 'forbidden') => new RegistryError(403, code, message),
  unknownToken: () => new RegistryError(401, 'unknown_token', 'Invitation token not recognised'),
  tampered: (reason: string) => new RegistryError(400, 'tampered_invitation', `Encoded invitation rejected: ${reason}`),
  expired: (expiresAt: string) =>
    new RegistryError(410, 'invitation_expired', `Invitation expired at ${expiresAt}`, { expiresAt }),
  revoked: () => new RegistryError(403, 'invitation_revoked', 'Invitation has been revoked'),
  suspended: () =>
    new RegistryError(
      403,
      'invitation_suspended',
      'Invitation is suspended (its devices were revoked); contact the administrator for a new invitation',
    ),
  maxDevices: (maxDevices: number) =>
    new RegistryError(409, 'max_devices_reached', 'Maximum devices reached', { maxDevices }),
  deviceRevoked: (deviceId: string) => new RegistryError(403, 'device_revoked', 'Device binding revoked', { deviceId }),
  notTransferable: () => new RegistryError(403, 'not_transferable', 'Invitation is not transferable'),
  deviceRequired: () =>
    new RegistryError(400, 'device_required', 'device: this invitation is device-bound; device details are required', {
      field: 'device',
    }),
  alreadyRevoked: (what: string) => new RegistryError(409, 'already_revoked', `${what} is already revoked`),
  conflict: (code: string, message: string, details?: Record<string, unknown>) =>
    new RegistryError(409, code, message, details),
};
