import type { AuditEvent } from '../domain/audit';
import type { Batch, BatchOptions, BatchSource, BatchState } from '../domain/batch';
import type { Job, JobKind, JobOptions, JobProgress, JobState } from '../domain/job';
import type { Device } from '../domain/device';
import {
  type HandedOut,
  type Invitation,
  type InvitationSettings,
  type InvitationStatus,
  effectiveStatus,
} from '../domain/invitation';
import { PROFILE_SETTINGS, type SettingsWith, pickSettings } from '../domain/invitation-settings';
import type { Webhook, WebhookDelivery } from '../domain/webhook';

/** Kept in the store only: what re-derives the token and whom a non-transferable invitation is bound to. */
type StoredOnly = 'tokenGeneration' | 'keyId' | 'tokenHash' | 'boundUsername';

/** What the API returns: the invitation with its settings under their own names, its status as of now. */
export type InvitationView = Omit<Invitation, StoredOnly | 'status'> & { status: InvitationStatus };

/** An invitation handed out with its secret: creation (201), rotation, delegate creation. */
export interface IssuedInvitation {
  invitation: InvitationView;
  token: string;
  encoded: string;
  notes: string[];
}

export interface InvitationPage {
  invitations: InvitationView[];
  cursor?: string;
}

export type DeviceView = Device;

/** `GET /invitations/{id}`, `POST /invitations/lookup` */
export interface InvitationAnswer {
  invitation: InvitationView;
}

/** `GET /invitations/{id}/devices` */
export interface InvitationDevices {
  invitationId: string;
  devices: DeviceView[];
}

/** `DELETE /invitations/{id}/devices/{deviceId}` */
export interface RevokedDevice {
  device: DeviceView;
}

/** `DELETE /invitations/{id}/devices`: every device revoked and the invitation suspended. */
export interface RevokedAllDevices {
  invitation: InvitationView;
  revokedDevices: DeviceView[];
}

/** `POST /invitations/{id}/revoke` */
/** `POST /invitations/{id}/send`: the invitation with its new delivery; the new token went to the recipient alone. */
export interface SentInvitation {
  invitation: InvitationView;
}

export interface RevokedInvitation {
  invitation: InvitationView;
  /** How many of its devices were active and are now revoked. */
  revokedDeviceCount: number;
  /** It had been revoked before this request (with `cascade` only: otherwise that is a 409). */
  alreadyRevoked: boolean;
  /** With `cascade`: the `revoke-cascade` job recording every descendant as revoked; follow it at `GET /jobs/{id}`. */
  job?: JobView;
}

/** `GET /registry/validate` */
export interface DeviceValidation {
  valid: boolean;
  reason?: string;
}

/** `POST /accept` */
export interface AcceptedInvitation {
  invitationId: string;
  /** The settings a profile carries (`name` the profile's own), and the registry the client talks to. */
  profile: Pick<InvitationSettings, SettingsWith<'profile'>> & { registryApi?: string };
  device?: DeviceView;
}

/**
 * `GET /registry/devices` item, in the reference client's snake_case. That client shows `timestamp` as when the
 * device registered, the time its own registration request carries.
 */
export interface RegistryDeviceView {
  device_id: string;
  hostname: string;
  username: string;
  timestamp: string;
  registered_at: string;
  last_seen: string;
  status: Device['status'];
}

export function invitationView(invitation: Invitation, now: Date): InvitationView {
  const { tokenGeneration: _generation, keyId: _kid, tokenHash: _hash, boundUsername: _user, ...visible } = invitation;
  return { ...visible, status: effectiveStatus(invitation, now) };
}

/** A use case's handed-out invitation as the API answers it, its status as of `now`. */
export const issuedView = ({ invitation, ...secret }: HandedOut, now: Date): IssuedInvitation => ({
  invitation: invitationView(invitation, now),
  ...secret,
});

/** An acceptance as `POST /accept` answers it: the profile carries the PROFILE_SETTINGS of the invitation. */
export const acceptedView = (accepted: {
  invitation: Invitation;
  profileName: string;
  registryApi?: string;
  device?: Device;
}): AcceptedInvitation => ({
  invitationId: accepted.invitation.id,
  profile: {
    ...pickSettings(accepted.invitation, PROFILE_SETTINGS),
    name: accepted.profileName,
    ...(accepted.registryApi !== undefined && { registryApi: accepted.registryApi }),
  },
  ...(accepted.device && { device: accepted.device }),
});

export const registryDeviceView = (device: Device): RegistryDeviceView => ({
  device_id: device.deviceId,
  hostname: device.hostname,
  username: device.username,
  timestamp: device.registeredAt,
  registered_at: device.registeredAt,
  last_seen: device.lastSeenAt,
  status: device.status,
});

/** A batch as the API shows it. `progress` is the share of rows done, 0 to 1 (0 until the file is split). */
export interface BatchView {
  id: string;
  state: BatchState;
  source: BatchSource;
  options: BatchOptions;
  total?: number;
  succeeded: number;
  failed: number;
  progress: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  warnings: string[];
  error?: { code: string; message: string };
  /** True once `GET /batches/{id}/results` can answer. */
  resultsReady: boolean;
}

/** `GET /batches/{id}` (and `/delegate/batches/{id}`) */
export interface BatchAnswer {
  batch: BatchView;
}

/** `POST /batches` (and `/delegate/batches`) with JSON options: upload the CSV with a PUT to `uploadUrl`. */
export interface StartedBatchUpload {
  batchId: string;
  uploadUrl: string;
  uploadExpiresAt: string;
  batch: BatchView;
}

/** `POST /batches` (and `/delegate/batches`) with a `text/csv` body: 202, the batch is queued. */
export interface StartedBatch {
  batchId: string;
  batch: BatchView;
}

export interface BatchPage {
  batches: BatchView[];
  cursor?: string;
}

/**
 * `GET /batches/{id}/results` answers `text/csv` itself when the file is small; otherwise this JSON with a
 * short-lived URL to download it from.
 */
export interface BatchResultsLink {
  batchId: string;
  downloadUrl: string;
  expiresAt: string;
  bytes: number;
}

export function batchView(batch: Batch): BatchView {
  const {
    objectKey: _key,
    input: _input,
    resultsKey,
    registryApi: _api,
    dispatchedAt: _dispatched,
    progressAt: _progress,
    ...visible
  } = batch;
  const done = batch.succeeded + batch.failed;
  return {
    ...visible,
    progress: batch.total ? Math.min(1, done / batch.total) : batch.state === 'completed' ? 1 : 0,
    resultsReady: resultsKey !== undefined,
  };
}

/** A job as the API shows it (exports, device operations, emergency revoke-all, scheduled jobs). */
export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  options: JobOptions;
  progress: JobProgress;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  completedAt?: string;
  summary?: Record<string, number | string>;
  error?: { code: string; message: string };
  /** True once the job's result file can be downloaded. */
  resultReady: boolean;
  /** Where the result file lies in the registry bucket (scheduled audits), when the job wrote one. */
  resultKey?: string;
}

/**
 * What a job's view means: it is final (completed or failed) once `isFinished`; its `resultKey` lies in the
 * bucket `resultBucketOf` its kind names.
 */
export { isFinished, resultBucketOf } from '../domain/job';

/** `POST /exports/*`, `POST /devices/operations`, `POST /devices/revoke-all`, `POST /schedules/{job}/runs`: 202. */
export interface JobAnswer {
  job: JobView;
  /** `GET /exports/{id}`, `GET /jobs/{id}`: a short-lived URL to the result file, once it is ready. */
  download?: { url: string; expiresAt: string };
}

export interface JobPage {
  jobs: JobView[];
  cursor?: string;
}

/** One event of the audit log. */
export type AuditEventView = AuditEvent;

/** `GET /audit` */
export interface AuditPage {
  events: AuditEventView[];
  cursor?: string;
}

export function jobView(job: Job): JobView {
  const {
    inputKey: _input,
    requestId: _request,
    sourceIp: _ip,
    schedule: _schedule,
    checkpoint: _checkpoint,
    resultKey,
    ...visible
  } = job;
  return {
    ...visible,
    resultReady: job.state === 'completed' && resultKey !== undefined,
    ...(resultKey !== undefined && { resultKey }),
  };
}

/** A webhook endpoint as the API shows it: never its secret. */
export type WebhookView = Webhook;

/** `POST /webhooks` (201): the endpoint and its signing secret, answered this once. */
export interface CreatedWebhook {
  webhook: WebhookView;
  secret: string;
}

/** `GET /webhooks` */
export interface WebhookList {
  webhooks: WebhookView[];
}

/** `DELETE /webhooks/{id}` */
export interface RemovedWebhook {
  removed: string;
}

/** `POST /webhooks/{id}/test` (202) */
export interface QueuedTestDelivery {
  deliveryId: string;
}

export type WebhookDeliveryView = WebhookDelivery;

/** `GET /webhooks/{id}/deliveries` */
export interface WebhookDeliveryPage {
  deliveries: WebhookDeliveryView[];
  cursor?: string;
}
