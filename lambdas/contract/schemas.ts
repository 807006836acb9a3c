import { AUDIT_ACTIONS } from '../domain/audit';
import { BATCH_CONCURRENCY } from '../domain/batch';
import { flag } from '../domain/batch-options';
import { EMAIL_LIMITS, refuseImplausibleEmail } from '../domain/email';
import { INVITATION_TYPES, LIMITS } from '../domain/invitation';
import { RESTRICTION_LIST_LIMITS } from '../domain/restrictions';
import { type TextKind, refuseControlCharacters } from '../domain/text';
import { DEVICE_ID_PATTERN, DEVICE_ID_RULE } from '../domain/tokens';
import { DEVICE_OPERATIONS, JOB_KINDS, SCHEDULED_JOBS } from '../domain/job';
import { WEBHOOK_EVENTS, WEBHOOK_KINDS, WEBHOOK_URL_MAX_LENGTH } from '../domain/webhook';
import * as z from '../domain/zod';
import { PAGE_SIZE_MAX } from './paging';

/** Request schemas of every route: the one source for validation, types and the API docs. */

const wholeNumber = (range: { min: number; max: number }) => {
  const error = `must be a whole number from ${range.min} to ${range.max}`;
  return z.number({ error }).check(z.int({ error }), z.gte(range.min, { error }), z.lte(range.max, { error }));
};

/** Text up to `max` characters without control characters; free text (`freeText`) may hold a tab. */
const text = (max: number, kind: TextKind = { freeText: false }) =>
  z
    .string()
    .check(
      z.maxLength(max, { error: `must be at most ${max} characters` }),
      z.superRefine(refuseControlCharacters(kind)),
    );

const freeText = (max: number) => text(max, { freeText: true });

export const invitationType = z.enum(INVITATION_TYPES, {
  error: `must be one of ${INVITATION_TYPES.join(', ')}`,
});

const restrictionList = (max: number, maxItems: number) => z.optional(z.array(text(max)).check(z.maxLength(maxItems)));

export const policyRestrictions = z.strictObject({
  templateWhitelist: restrictionList(200, RESTRICTION_LIST_LIMITS.templateWhitelist),
  templateBlacklist: restrictionList(200, RESTRICTION_LIST_LIMITS.templateBlacklist),
  maxInstanceTypes: restrictionList(100, RESTRICTION_LIST_LIMITS.maxInstanceTypes),
  forbiddenRegions: restrictionList(50, RESTRICTION_LIST_LIMITS.forbiddenRegions),
  maxHourlyCost: z.optional(z.number().check(z.nonnegative())),
  maxDailyBudget: z.optional(z.number().check(z.nonnegative())),
});

/** Neither or one of `parentId` and `parentToken`, as a check of a body that has both fields. */
const oneParent = z.refine<{ parentId?: string; parentToken?: string }>(
  (body) => !(body.parentId && body.parentToken),
  {
    error: 'give parentId or parentToken, not both',
    path: ['parentToken'],
  },
);

/** `deliver` only with an `email` to send to. */
const deliverNeedsAddress = z.refine<{ deliver?: boolean; email?: string }>((body) => !body.deliver || !!body.email, {
  error: 'needs an email address to send the invitation to',
  path: ['deliver'],
});

const invitationFields = {
  name: z
    .string({ error: 'is required' })
    .check(
      z.trim(),
      z.minLength(LIMITS.name.min, { error: 'must not be blank' }),
      z.maxLength(LIMITS.name.max, { error: `must be at most ${LIMITS.name.max} characters` }),
      z.superRefine(refuseControlCharacters({ freeText: true })),
    ),
  type: invitationType,
  validDays: z.optional(wholeNumber(LIMITS.validDays)),
  canInvite: z.optional(z.boolean()),
  transferable: z.optional(z.boolean()),
  deviceBound: z.optional(z.boolean()),
  maxDevices: z.optional(wholeNumber(LIMITS.maxDevices)),
  maxDescendants: z
    .optional(wholeNumber(LIMITS.maxDescendants))
    .check(
      z.describe(
        'How many invitations may ever be created below this one, at all depths; default a stack setting (10,000 unless configured), never more than the parent has left',
      ),
    ),
  ownerAccount: z.optional(text(200)),
  ownerProfile: z.optional(text(200)),
  s3ConfigPath: z.optional(text(1024)),
  policyRestrictions: z.optional(policyRestrictions),
  email: z
    .optional(z.string().check(z.trim(), z.superRefine(refuseImplausibleEmail)))
    .check(
      z.describe(
        `The recipient's address, local@domain.tld, at most ${EMAIL_LIMITS.max} characters: shown to administrators, never in the encoded invitation`,
      ),
    ),
};

export const delegateCreateBody = z.strictObject(invitationFields);

/** Asks for the invitation to be e-mailed to its `email` once made (docs/SPEC.md §4.8). */
const deliver = z
  .optional(z.boolean({ error: 'must be true or false' }))
  .check(
    z.describe('E-mail the invitation to its `email` once it is created (queued; never delays or fails the create)'),
  );

export const createInvitationBody = z
  .strictObject({
    ...invitationFields,
    parentId: z.optional(text(64)),
    parentToken: z.optional(text(64)),
    deliver,
  })
  .check(oneParent, deliverNeedsAddress);

const limitRule = `must be a whole number from 1 to ${PAGE_SIZE_MAX}`;
const limit = z.optional(
  z.coerce
    .number({ error: limitRule })
    .check(z.int({ error: limitRule }), z.gte(1, { error: limitRule }), z.lte(PAGE_SIZE_MAX, { error: limitRule })),
);

const page = { limit, cursor: z.optional(text(2048)) };

export const listInvitationsQuery = z
  .strictObject({
    status: z.optional(z.enum(['active', 'suspended', 'revoked', 'expired'])),
    type: z.optional(invitationType),
    parentId: z.optional(text(64)),
    batchId: z.optional(text(64)),
    name: z.optional(freeText(200)),
    roots: z
      .optional(flag)
      .check(z.describe('true: only invitations without a parent, the tops of the delegation trees')),
    ...page,
  })
  .check(
    z.refine((query) => !(query.roots && query.parentId), {
      error: 'cannot be combined with parentId: a root invitation has no parent',
      path: ['roots'],
    }),
  );

export const pageQuery = z.strictObject(page);

/** A token as a client sends it. */
const token = z.string({ error: 'is required' }).check(z.maxLength(256, { error: 'must be at most 256 characters' }));

export const tokenBody = z.strictObject({ token });

export const revokeInvitationBody = z.strictObject({
  reason: z.optional(freeText(500)),
  cascade: z.optional(z.boolean()),
});

export const emptyBody = z.strictObject({});

export const reasonQuery = z.strictObject({ reason: z.optional(freeText(500)) });

/** A device id, checked alike on every route that takes one (docs/SPEC.md §1.3). */
const deviceId = z.string({ error: 'is required' }).check(z.regex(DEVICE_ID_PATTERN, { error: DEVICE_ID_RULE }));

export const deviceInput = z.strictObject({
  deviceId: z.optional(deviceId),
  hostname: text(255),
  username: text(255),
  label: z.optional(freeText(200)),
  fingerprintHash: z.optional(
    z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, { error: 'must be a hex SHA-256 (64 hex digits)' })),
  ),
});

export const acceptBody = z.strictObject({
  encoded: z
    .string({ error: 'is required' })
    .check(
      z.minLength(1, { error: 'is required' }),
      z.maxLength(16_384, { error: 'must be at most 16384 characters' }),
    ),
  name: z.optional(freeText(200)),
  device: z.optional(deviceInput),
});

/** The reference client's registration body (`pkg/profile` registry client). */
export const registryRegisterBody = z.object({
  invitation_token: token,
  device_id: deviceId,
  timestamp: z.optional(z.union([z.string(), z.number()])),
  hostname: text(255),
  username: text(255),
});

export const registryTokenQuery = z.strictObject({ token });

export const registryRevokeQuery = z.strictObject({ token, device: deviceId });

/**
 * Validation takes any query and answers every one with 200 (`malformed_token`, `malformed_device_id` for what
 * cannot name anything): the reference client treats any other answer as "valid, from the local cache".
 */
export const registryValidateQuery = z.object({
  token: z._default(z.string(), '').check(z.describe('The invitation token')),
  device: z._default(z.string(), '').check(z.describe('The device id')),
});

/** Rows or devices a batch or bulk device job works on at once: the range the API accepts, and its default. */
export { BATCH_CONCURRENCY };

const batchConcurrency = wholeNumber(BATCH_CONCURRENCY);

/** A concurrency as a query string gives it: text, read as a number. */
const batchConcurrencyText = z.optional(z.pipe(z.coerce.number(), batchConcurrency));

const batchOptionFields = {
  s3ConfigPath: z.optional(text(1024)),
  includeEncoded: z.optional(flag),
  concurrency: z.optional(batchConcurrency),
  hasHeader: z.optional(flag),
  deliver: z
    .optional(flag)
    .check(z.describe('E-mail each created invitation that has an Email to its address (queued, as rows complete)')),
};

/** `POST /batches` with JSON: options for a CSV uploaded afterwards to the presigned URL. */
export const startBatchBody = z
  .strictObject({ ...batchOptionFields, parentId: z.optional(text(64)), parentToken: z.optional(text(64)) })
  .check(oneParent);

/** `POST /batches` with a `text/csv` body: the options travel in the query string (a parent token in `X-Prism-Parent-Token`). */
export const startBatchQuery = z.strictObject({
  ...batchOptionFields,
  concurrency: batchConcurrencyText,
  parentId: z.optional(text(64)),
});

export const delegateBatchBody = z.strictObject(batchOptionFields);
export const delegateBatchQuery = z.strictObject({ ...batchOptionFields, concurrency: batchConcurrencyText });

export const listBatchesQuery = z.strictObject({
  state: z.optional(z.enum(['awaiting_upload', 'queued', 'processing', 'completed', 'failed'])),
  ...page,
});

const invitationStatus = z.enum(['active', 'suspended', 'revoked', 'expired'], {
  error: 'must be one of active, suspended, revoked, expired',
});

/** `POST /exports/invitations` */
export const invitationExportBody = z.strictObject({
  includeEncoded: z.optional(z.boolean({ error: 'must be true or false' })),
  status: z.optional(invitationStatus),
});

/** `POST /exports/devices` */
export const deviceExportBody = z.strictObject({});

/** `POST /devices/operations` (a `text/csv` body; the options travel in the query string). */
export const deviceOperationsQuery = z.strictObject({
  operation: z.optional(z.enum(DEVICE_OPERATIONS, { error: `must be one of ${DEVICE_OPERATIONS.join(', ')}` })),
  hasHeader: z.optional(flag),
  concurrency: batchConcurrencyText,
});

/** `POST /devices/revoke-all`: nothing happens without `confirm: true`. */
export const revokeAllBody = z.strictObject({
  confirm: z.literal(true, { error: 'must be true: this revokes every device of every invitation' }),
  reason: z.optional(freeText(500)),
  concurrency: z.optional(batchConcurrency),
});

export const listJobsQuery = z.strictObject({
  kind: z.optional(z.enum(JOB_KINDS, { error: `must be one of ${JOB_KINDS.join(', ')}` })),
  ...page,
});

/** `POST /schedules/{job}/runs`: a scheduled job, now. */
export const scheduledJobName = z.enum(SCHEDULED_JOBS, { error: `must be one of ${SCHEDULED_JOBS.join(', ')}` });

const instant = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time, e.g. 2026-11-21T00:00:00Z' });

/** `GET /audit` */
export const auditQuery = z.strictObject({
  since: z.optional(instant),
  until: z.optional(instant),
  action: z.optional(z.enum(AUDIT_ACTIONS, { error: `must be one of ${AUDIT_ACTIONS.join(', ')}` })),
  actor: z.optional(text(2048)),
  targetId: z.optional(text(128)),
  ...page,
});

/** What a webhook may subscribe to (`*` first) and the kinds of endpoint. */
export { WEBHOOK_EVENTS, WEBHOOK_KINDS };

/** An action a webhook subscribes to: an audit action, or `*` for all; an unknown one is refused by name. */
const webhookEvent = z.string({ error: 'must be text' }).check(
  z.refine((event) => WEBHOOK_EVENTS.includes(event), {
    error: (issue) =>
      `unknown action ${JSON.stringify(String(issue.input).slice(0, 100))}: use * or one of ${WEBHOOK_EVENTS.slice(1).join(', ')}`,
  }),
);

/** `POST /webhooks`: the URL's scheme and host are checked by the use case, where it knows the stack's rules. */
export const createWebhookBody = z.strictObject({
  url: z
    .string({ error: 'is required' })
    .check(
      z.minLength(1, { error: 'is required' }),
      z.maxLength(WEBHOOK_URL_MAX_LENGTH, { error: `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` }),
    ),
  events: z
    .array(webhookEvent, { error: 'must be a list of actions' })
    .check(z.minLength(1, { error: 'must name at least one action (or *)' }), z.maxLength(WEBHOOK_EVENTS.length)),
  description: z.optional(freeText(200)),
  kind: z.optional(z.enum(WEBHOOK_KINDS, { error: `must be one of ${WEBHOOK_KINDS.join(', ')}` })),
});

export type CreateInvitationBody = z.infer<typeof createInvitationBody>;
export type DelegateCreateBody = z.infer<typeof delegateCreateBody>;
export type ListInvitationsQuery = z.infer<typeof listInvitationsQuery>;
export type AcceptBody = z.infer<typeof acceptBody>;
export type DeviceInput = z.infer<typeof deviceInput>;
export type DeviceOperationsQuery = z.infer<typeof deviceOperationsQuery>;
export type ScheduledJobName = z.infer<typeof scheduledJobName>;
export type AuditQuery = z.infer<typeof auditQuery>;
export type CreateWebhookBody = z.infer<typeof createWebhookBody>;
