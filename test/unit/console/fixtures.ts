import type { InvitationView } from '../../../lambdas/contract/views';

/** An invitation as the API answers it, with `overrides`. */
export const invitationView = (overrides: Partial<InvitationView> = {}): InvitationView => ({
  id: 'INV',
  name: 'lab',
  type: 'read_write',
  status: 'active',
  validDays: 30,
  canInvite: true,
  transferable: false,
  deviceBound: true,
  maxDevices: 3,
  maxDescendants: 100,
  descendantsCreated: 0,
  createdAt: '2026-11-01T00:00:00Z',
  expiresAt: '2026-12-01T00:00:00Z',
  createdBy: 'admin',
  activeDevices: 0,
  tokenHint: 'inv-AbCd…wXyZ',
  ...overrides,
});
