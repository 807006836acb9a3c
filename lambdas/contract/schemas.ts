import * as z from 'zod';
import { AUDIT_ACTIONS } from '../domain/audit';
import { BATCH_CONCURRENCY } from '../domain/batch';
import { INVITATION_TYPES, LIMITS } from '../domain/invitation';
import { RESTRICTION_LIST_LIMITS } from '../domain/restrictions';
import { type TextKind, refuseControlCharacters } from '../domain/text';
import { DEVICE_ID_PATTERN, DEVICE_ID_RULE } from '../domain/tokens';
import { DEVICE_OPERATIONS, JOB_KINDS, SCHEDULED_JOBS } from '../domain/job';

/** Request schemas of every route: the one source for validation, types and the API docs. */

const wholeNumber = (range: { min: number; max: number }) =>
  z
    .number({ error: `must be a whole number from ${range.min} to ${range.max}` })
    .int({ error: `must be a whole number from ${range.min} to ${range.max}` })
    .min(range.min, { error: `must be a whole number from ${range.min} to ${range.max}` })
    .max(range.max, { error: `must be a whole number from ${range.min} to ${range.max}` });

/** Text up to `max` characters without control characters; free text (`freeText`) may hold a tab. */
const text = (max: number, kind: TextKind = { freeText: false }) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine(refuseControlCharacters(kind));

const freeText = (max: number) => text(max, { freeText: true });

export const invitationType = z.enum(INVITATION_TYPES, {
  error: `must be one of ${INVITATION_TYPES.join(', ')}`,
});

export const policyRestrictions = z.strictObject({
  templateWhitelist: z.array(text(200)).max(RESTRICTION_LIST_LIMITS.templateWhitelist).optional(),
  templateBlacklist: z.array(text(200)).max(RESTRICTION_LIST_LIMITS.templateBlacklist).optional(),
  maxInstanceTypes: z.array(text(100)).max(RESTRICTION_LIST_LIMITS.maxInstanceTypes).optional(),
  forbiddenRegions: z.array(text(50)).max(RESTRICTION_LIST_LIMITS.forbiddenRegions).optional(),
  maxHourlyCost: z.number().nonnegative().optional(),
  maxDailyBudget: z.number().nonnegative().optional(),
});

const invitationFields = {
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(LIMITS.name.min, { error: 'must not be blank' })
    .max(LIMITS.name.max, { error: `must be at most ${LIMITS.name.max} characters` })
    .superRefine(refuseControlCharacters({ freeText: true })),
  type: invitationType,
  validDays: wholeNumber(LIMITS.validDays).optional(),
  canInvite: z.boolean().optional(),
  transferable: z.boolean().optional(),
  deviceBound: z.boolean().optional(),
  maxDevices: wholeNumber(LIMITS.maxDevices).optional(),
  maxDescendants: wholeNumber(LIMITS.maxDescendants)
    .optional()
    .describe(
      'How many invitations may ever be created below this one, at all depths; default a stack setting (10,000 unless configured), never more than the parent has left',
    ),
  ownerAccount: text(200).optional(),
  ownerProfile: text(200).optional(),
  s3ConfigPath: text(1024).optional(),
  policyRestrictions: policyRestrictions.optional(),
};

export const delegateCreateBody = z.strictObject(invitationFields);

export const createInvitationBody = z
  .strictObject({
    ...invitationFields,
    parentId: text(64).optional(),
    parentToken: text(64).optional(),
  })
  .refine((body) => !(body.parentId && body.parentToken), {
    error: 'give parentId or parentToken, not both',
    path: ['parentToken'],
  });

const limit = z.coerce
  .number({ error: 'must be a whole number from 1 to 100' })
  .int({ error: 'must be a whole number from 1 to 100' })
  .min(1, { error: 'must be a whole number from 1 to 100' })
  .max(100, { error: 'must be a whole number from 1 to 100' })
  .optional();

const page = { limit, cursor: text(2048).optional() };

export const listInvitationsQuery = z.strictObject({
  status: z.enum(['active', 'suspended', 'revoked', 'expired']).optional(),
  type: invitationType.optional(),
  parentId: text(64).optional(),
  batchId: text(64).optional(),
  name: freeText(200).optional(),
  ...page,
});

export const pageQuery = z.strictObject(page);

export const tokenBody = z.strictObject({ token: z.string({ error: 'is required' }).max(256) });

export const revokeInvitationBody = z.strictObject({
  reason: freeText(500).optional(),
  cascade: z.boolean().optional(),
});

export const emptyBody = z.strictObject({});

export const reasonQuery = z.strictObject({ reason: freeText(500).optional() });

/** A device id, checked alike on every route that takes one (docs/SPEC.md §1.3). */
const deviceId = z.string({ error: 'is required' }).regex(DEVICE_ID_PATTERN, { error: DEVICE_ID_RULE });

export const deviceInput = z.strictObject({
  deviceId: deviceId.optional(),
  hostname: text(255),
  username: text(255),
  label: freeText(200).optional(),
  fingerprintHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be a hex SHA-256 (64 hex digits)' })
    .optional(),
});

export const acceptBody = z.strictObject({
  encoded: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(16_384),
  name: freeText(200).optional(),
  device: deviceInput.optional(),
});

/** The reference client's registration body (`pkg/profile` registry client). */
export const registryRegisterBody = z.object({
  invitation_token: z.string({ error: 'is required' }).max(256),
  device_id: deviceId,
  timestamp: z.union([z.string(), z.number()]).optional(),
  hostname: text(255),
  username: text(255),
});

export const registryTokenQuery = z.strictObject({ token: z.string({ error: 'is required' }).max(256) });

export const registryRevokeQuery = z.strictObject({
  token: z.string({ error: 'is required' }).max(256),
  device: deviceId,
});

/**
 * Validation takes any query and answers every one with 200 (`malformed_token`, `malformed_device_id` for what
 * cannot name anything): the reference client treats any other answer as "valid, from the local cache".
 */
export const registryValidateQuery = z.object({
  token: z.string().default('').describe('The invitation token'),
  device: z.string().default('').describe('The device id'),
});

/** Rows or devices a batch or bulk device job works on at once: the range the API accepts, and its default. */
export { BATCH_CONCURRENCY };

const batchConcurrency = wholeNumber(BATCH_CONCURRENCY);

/** Accepts `true`/`false` as query strings give them, and JSON booleans. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], {
  error: 'must be true or false',
});

const batchOptionFields = {
  s3ConfigPath: text(1024).optional(),
  includeEncoded: flag.optional(),
  concurrency: batchConcurrency.optional(),
  hasHeader: flag.optional(),
};

/** `POST /batches` with JSON: options for a CSV uploaded afterwards to the presigned URL. */
export const startBatchBody = z
  .strictObject({ ...batchOptionFields, parentId: text(64).optional(), parentToken: text(64).optional() })
  .refine((body) => !(body.parentId && body.parentToken), {
    error: 'give parentId or parentToken, not both',
    path: ['parentToken'],
  });

/** `POST /batches` with a `text/csv` body: the options travel in the query string (a parent token in `X-Prism-Parent-Token`). */
export const startBatchQuery = z.strictObject({
  ...batchOptionFields,
  concurrency: z.coerce.number().pipe(batchConcurrency).optional(),
  parentId: text(64).optional(),
});

export const delegateBatchBody = z.strictObject(batchOptionFields);
export const delegateBatchQuery = z.strictObject({
  ...batchOptionFields,
  concurrency: z.coerce.number().pipe(batchConcurrency).optional(),
});

export const listBatchesQuery = z.strictObject({
  state: z.enum(['awaiting_upload', 'queued', 'processing', 'completed', 'failed']).optional(),
  ...page,
});

const invitationStatus = z.enum(['active', 'suspended', 'revoked', 'expired'], {
  error: 'must be one of active, suspended, revoked, expired',
});

/** `POST /exports/invitations` */
export const invitationExportBody = z.strictObject({
  includeEncoded: z.boolean({ error: 'must be true or false' }).optional(),
  status: invitationStatus.optional(),
});

/** `POST /exports/devices` */
export const deviceExportBody = z.strictObject({});

/** `POST /devices/operations` (a `text/csv` body; the options travel in the query string). */
export const deviceOperationsQuery = z.strictObject({
  operation: z.enum(DEVICE_OPERATIONS, { error: `must be one of ${DEVICE_OPERATIONS.join(', ')}` }).optional(),
  hasHeader: flag.optional(),
  concurrency: z.coerce.number().pipe(batchConcurrency).optional(),
});

/** `POST /devices/revoke-all`: nothing happens without `confirm: true`. */
export const revokeAllBody = z.strictObject({
  confirm: z.literal(true, { error: 'must be true: this revokes every device of every invitation' }),
  reason: freeText(500).optional(),
  concurrency: batchConcurrency.optional(),
});

export const listJobsQuery = z.strictObject({
  kind: z.enum(JOB_KINDS, { error: `must be one of ${JOB_KINDS.join(', ')}` }).optional(),
  ...page,
});

/** `POST /schedules/{job}/runs`: a scheduled job, now. */
export const scheduledJobName = z.enum(SCHEDULED_JOBS, { error: `must be one of ${SCHEDULED_JOBS.join(', ')}` });

const instant = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2026-11-21T00:00:00Z' });

/** `GET /audit` */
export const auditQuery = z.strictObject({
  since: instant.optional(),
  until: instant.optional(),
  action: z.enum(AUDIT_ACTIONS, { error: `must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  actor: text(2048).optional(),
  targetId: text(128).optional(),
  ...page,
});

export type CreateInvitationBody = z.infer<typeof createInvitationBody>;
export type DelegateCreateBody = z.infer<typeof delegateCreateBody>;
export type ListInvitationsQuery = z.infer<typeof listInvitationsQuery>;
export type AcceptBody = z.infer<typeof acceptBody>;
export type DeviceInput = z.infer<typeof deviceInput>;
export type DeviceOperationsQuery = z.infer<typeof deviceOperationsQuery>;
export type ScheduledJobName = z.infer<typeof scheduledJobName>;
export type AuditQuery = z.infer<typeof auditQuery>;
