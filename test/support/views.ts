import type { BatchView, InvitationView, JobView } from '../../lambdas/contract/views';

/** An invitation as the API shows it, for tests of what clients do with answers. */
export const invitationViewFixture = (overrides: Partial<InvitationView> = {}): InvitationView => ({
  id: '01JD8Z3X4Y5W6V7T8S9R0Q1P2N',
  name: 'lab-access',
  type: 'admin',
  status: 'active',
  createdAt: '2025-01-01T00:00:00Z',
  expiresAt: '2025-01-31T00:00:00Z',
  validDays: 30,
  canInvite: true,
  transferable: false,
  deviceBound: true,
  maxDevices: 3,
  activeDevices: 0,
  maxDescendants: 10_000,
  descendantsCreated: 0,
  tokenHint: 'inv-7Zq3…MnO',
  createdBy: 'admin:local',
  ...overrides,
});

/** A batch as the API shows it, still queued unless told otherwise. */
export const batchViewFixture = (overrides: Partial<BatchView> = {}): BatchView => ({
  id: '01JD8Z3X4Y5W6V7T8S9R0Q1BAT',
  state: 'queued',
  source: 'api',
  options: { includeEncoded: false, concurrency: 5, hasHeader: true },
  succeeded: 0,
  failed: 0,
  progress: 0,
  createdBy: 'admin:local',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  warnings: [],
  resultsReady: false,
  ...overrides,
});

/** A job as the API shows it, an invitation export still queued unless told otherwise. */
export const jobViewFixture = (overrides: Partial<JobView> = {}): JobView => ({
  id: '01JD8Z3X4Y5W6V7T8S9R0Q1JOB',
  kind: 'invitation-export',
  state: 'queued',
  options: {},
  progress: { processed: 0, succeeded: 0, failed: 0 },
  createdBy: 'admin:local',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  resultReady: false,
  ...overrides,
});
