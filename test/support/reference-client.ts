/**
 * The registry calls of the reference Prism client (`pkg/profile/security/registry.go`), sent as it sends them:
 * each URL is `CWS_REGISTRY_API` joined verbatim with `/register`, `/validate?token=…&device=…` and so on
 * (`fmt.Sprintf`, nothing escaped), so a value ending in `/` gives `…/registry//validate`.
 */
export function referenceClient(registryApi: string, identity = { hostname: 'host', username: 'alice' }) {
  return {
    register: (token: string, deviceId: string) =>
      fetch(`${registryApi}/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          invitation_token: token,
          device_id: deviceId,
          timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          ...identity,
        }),
      }),
    validate: (token: string, deviceId: string) => fetch(`${registryApi}/validate?token=${token}&device=${deviceId}`),
    devices: (token: string) => fetch(`${registryApi}/devices?token=${token}`),
    revoke: (token: string, deviceId: string) =>
      fetch(`${registryApi}/revoke?token=${token}&device=${deviceId}`, { method: 'DELETE' }),
    revokeAll: (token: string) => fetch(`${registryApi}/revoke-all?token=${token}`, { method: 'DELETE' }),
  };
}
