import type { CreateInvitationBody } from '../../../lambdas/contract/schemas';
import type {
  AuditPage,
  BatchAnswer,
  BatchPage,
  BatchResultsLink,
  InvitationAnswer,
  InvitationDevices,
  InvitationPage,
  IssuedInvitation,
  JobAnswer,
  JobPage,
  RevokedAllDevices,
  RevokedDevice,
  RevokedInvitation,
  SentInvitation,
  StartedBatch,
} from '../../../lambdas/contract/views';
import { PAGE_SIZE_MAX } from '../../../lambdas/contract/paging';
import { type Query, call, callJson, registryPath } from './client';

/**
 * The registry's administrator routes the console calls (lambdas/contract/routes.ts), each as the CLI calls it:
 * the same paths, bodies and query names.
 */

/** The console asks for pages as large as the registry answers. */
export const PAGE_LIMIT = PAGE_SIZE_MAX;

export interface InvitationFilters {
  status?: string;
  type?: string;
  name?: string;
  batchId?: string;
  parentId?: string;
  /** Only invitations without a parent: the tops of the delegation tree. */
  roots?: boolean;
}

export const listInvitations = (filters: InvitationFilters, cursor?: string) =>
  callJson<InvitationPage>('/invitations', { query: { ...filters, limit: PAGE_LIMIT, cursor } });

export const getInvitation = (id: string) => callJson<InvitationAnswer>(registryPath('invitations', id));

export const createInvitation = (body: CreateInvitationBody) =>
  callJson<IssuedInvitation>('/invitations', { method: 'POST', json: body });

export const rotateInvitation = (id: string) =>
  callJson<IssuedInvitation>(registryPath('invitations', id, 'rotate'), { method: 'POST', json: {} });

export const sendInvitation = (id: string) =>
  callJson<SentInvitation>(registryPath('invitations', id, 'send'), { method: 'POST', json: {} });

export const revokeInvitation = (id: string, body: { reason?: string; cascade?: boolean }) =>
  callJson<RevokedInvitation>(registryPath('invitations', id, 'revoke'), { method: 'POST', json: body });

export const listDevices = (id: string) => callJson<InvitationDevices>(registryPath('invitations', id, 'devices'));

export const revokeDevice = (id: string, deviceId: string, reason?: string) =>
  callJson<RevokedDevice>(registryPath('invitations', id, 'devices', deviceId), {
    method: 'DELETE',
    query: { reason },
  });

export const revokeAllDevices = (id: string, reason?: string) =>
  callJson<RevokedAllDevices>(registryPath('invitations', id, 'devices'), { method: 'DELETE', query: { reason } });

/** The options of a batch whose CSV travels in the request (`startBatchQuery`). */
export interface BatchUploadOptions {
  concurrency?: number;
  includeEncoded: boolean;
  hasHeader: boolean;
  deliver: boolean;
  parentId?: string;
}

export const startBatch = (csv: Blob, options: BatchUploadOptions) =>
  callJson<StartedBatch>('/batches', { method: 'POST', query: { ...options }, csv });

export const listBatches = (cursor?: string) =>
  callJson<BatchPage>('/batches', { query: { limit: PAGE_LIMIT, cursor } });

export const getBatch = (id: string) => callJson<BatchAnswer>(registryPath('batches', id));

/** A batch's results: the CSV itself when the registry answers it inline, else where to download it. */
export async function getBatchResults(id: string): Promise<{ csv: string } | { link: BatchResultsLink }> {
  const response = await call(registryPath('batches', id, 'results'));
  if (response.headers.get('content-type')?.startsWith('text/csv')) return { csv: await response.text() };
  return { link: (await response.json()) as BatchResultsLink };
}

export const listJobs = (query: { kind?: string; limit?: number }, cursor?: string) =>
  callJson<JobPage>('/jobs', { query: { limit: PAGE_LIMIT, ...query, cursor } });

export const getJob = (id: string) => callJson<JobAnswer>(registryPath('jobs', id));

export const runScheduledJob = (job: string) =>
  callJson<JobAnswer>(registryPath('schedules', job, 'runs'), { method: 'POST', json: {} });

export const revokeEverything = (reason?: string) =>
  callJson<JobAnswer>('/devices/revoke-all', { method: 'POST', json: { confirm: true, reason } });

export interface AuditFilters extends Query {
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  targetId?: string;
}

export const listAudit = (filters: AuditFilters, cursor?: string) =>
  callJson<AuditPage>('/audit', { query: { ...filters, limit: PAGE_LIMIT, cursor } });

/** Where the console server hands out a result file as an attachment (it follows the registry's link itself). */
export const downloads = {
  batchResults: (id: string) => `/download${registryPath('batches', id, 'results')}`,
  jobResult: (id: string) => `/download${registryPath('jobs', id)}`,
};
