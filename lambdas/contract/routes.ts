import type { FunctionName } from '../../system/functions';
import type * as z from '../domain/zod';
import * as schemas from './schemas';

/**
 * Who may call a route (docs/SPEC.md §4.1):
 * - `admin`: IAM/SigV4 (API Gateway AWS_IAM; SigV4 verified by the embedded gateway);
 * - `delegate`: `Authorization: Invitation <token>` checked by the Lambda authorizer;
 * - `recipient`: the token travels in the request itself and the handler checks it;
 * - `public`: no credentials, no registry data (health, the OpenAPI document).
 */
export type PrincipalKind = 'admin' | 'delegate' | 'recipient' | 'public';

/**
 * The delegate authorizer's identity source: API Gateway answers a delegate request without this header, or with
 * it empty, 401 on its own and never invokes the authorizer.
 */
export const DELEGATE_CREDENTIALS_HEADER = 'Authorization';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  path: string;
  function: FunctionName;
  principal: PrincipalKind;
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Also takes a `text/csv` body (up to INLINE_CSV_MAX_BYTES), handed over as text with the options in `query`. */
  acceptsCsv?: true;
  /** Status of a successful answer. */
  status: number;
}

export type RouteKey = `${HttpMethod} ${string}`;

/** The one route table: CDK builds the REST API from it, the embedded gateway serves it, the docs list it. */
export const ROUTES = [
  { method: 'GET', path: '/health', function: 'health', principal: 'public', summary: 'Liveness check', status: 200 },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'openapi',
    principal: 'public',
    summary: 'This OpenAPI document',
    status: 200,
  },

  {
    method: 'POST',
    path: '/invitations',
    function: 'invitationsCreate',
    principal: 'admin',
    summary: 'Create an invitation (honours Idempotency-Key)',
    body: schemas.createInvitationBody,
    status: 201,
  },
  {
    method: 'GET',
    path: '/invitations',
    function: 'invitationsRead',
    principal: 'admin',
    summary: 'List invitations',
    query: schemas.listInvitationsQuery,
    status: 200,
  },
  {
    method: 'GET',
    path: '/invitations/{id}',
    function: 'invitationsRead',
    principal: 'admin',
    summary: 'Get one invitation',
    status: 200,
  },
  {
    method: 'POST',
    path: '/invitations/lookup',
    function: 'invitationsRead',
    principal: 'admin',
    summary: 'Find an invitation by its token',
    body: schemas.tokenBody,
    status: 200,
  },
  {
    method: 'GET',
    path: '/invitations/{id}/devices',
    function: 'invitationsRead',
    principal: 'admin',
    summary: 'Devices of one invitation',
    status: 200,
  },
  {
    method: 'POST',
    path: '/invitations/{id}/revoke',
    function: 'invitationsManage',
    principal: 'admin',
    summary:
      'Revoke an invitation with its devices; with cascade, also start a job that records every descendant as revoked',
    body: schemas.revokeInvitationBody,
    status: 200,
  },
  {
    method: 'POST',
    path: '/invitations/{id}/rotate',
    function: 'invitationsManage',
    principal: 'admin',
    summary: 'Issue a new token for an invitation',
    body: schemas.emptyBody,
    status: 200,
  },
  {
    method: 'POST',
    path: '/invitations/{id}/send',
    function: 'invitationsManage',
    principal: 'admin',
    summary: 'E-mail an invitation to its address again: a new token (the old one stops working), then the message',
    body: schemas.emptyBody,
    status: 202,
  },
  {
    method: 'DELETE',
    path: '/invitations/{id}/devices/{deviceId}',
    function: 'invitationsManage',
    principal: 'admin',
    summary: 'Revoke one device',
    query: schemas.reasonQuery,
    status: 200,
  },
  {
    method: 'DELETE',
    path: '/invitations/{id}/devices',
    function: 'invitationsManage',
    principal: 'admin',
    summary: 'Revoke every device and suspend the invitation',
    query: schemas.reasonQuery,
    status: 200,
  },

  {
    method: 'POST',
    path: '/batches',
    function: 'batches',
    principal: 'admin',
    summary: 'Start a batch: JSON options give a presigned upload URL; a text/csv body starts it at once',
    body: schemas.startBatchBody,
    query: schemas.startBatchQuery,
    acceptsCsv: true,
    status: 201,
  },
  {
    method: 'GET',
    path: '/batches',
    function: 'batches',
    principal: 'admin',
    summary: 'List batches, newest first',
    query: schemas.listBatchesQuery,
    status: 200,
  },
  {
    method: 'GET',
    path: '/batches/{id}',
    function: 'batches',
    principal: 'admin',
    summary: 'State, counts and progress of one batch',
    status: 200,
  },
  {
    method: 'GET',
    path: '/batches/{id}/results',
    function: 'batches',
    principal: 'admin',
    summary: 'The results CSV: inline when small, else a short-lived download URL',
    status: 200,
  },

  {
    method: 'POST',
    path: '/exports/invitations',
    function: 'jobs',
    principal: 'admin',
    summary: 'Export every invitation (SPEC §2.2) to a CSV; secrets only with includeEncoded',
    body: schemas.invitationExportBody,
    status: 202,
  },
  {
    method: 'POST',
    path: '/exports/devices',
    function: 'jobs',
    principal: 'admin',
    summary: 'Export every device (SPEC §2.4) to a CSV',
    body: schemas.deviceExportBody,
    status: 202,
  },
  {
    method: 'GET',
    path: '/exports/{id}',
    function: 'jobs',
    principal: 'admin',
    summary: 'State of an export, with a short-lived download URL once it is done',
    status: 200,
  },
  {
    method: 'POST',
    path: '/devices/operations',
    function: 'jobs',
    principal: 'admin',
    summary: 'Revoke, validate or describe the devices a text/csv body lists (SPEC §2.3), as a job',
    query: schemas.deviceOperationsQuery,
    acceptsCsv: true,
    status: 202,
  },
  {
    method: 'POST',
    path: '/devices/revoke-all',
    function: 'jobs',
    principal: 'admin',
    summary: 'Emergency: revoke every device and suspend every active invitation, as a job',
    body: schemas.revokeAllBody,
    status: 202,
  },
  {
    method: 'GET',
    path: '/jobs',
    function: 'jobs',
    principal: 'admin',
    summary: 'List jobs, newest first',
    query: schemas.listJobsQuery,
    status: 200,
  },
  {
    method: 'GET',
    path: '/jobs/{id}',
    function: 'jobs',
    principal: 'admin',
    summary: 'State, progress and summary of a job, with a download URL for its result file',
    status: 200,
  },
  {
    method: 'POST',
    path: '/schedules/{job}/runs',
    function: 'jobs',
    principal: 'admin',
    summary: 'Run a scheduled job now (invitation-audit, device-audit, expired-cleanup, audit-archive)',
    body: schemas.emptyBody,
    status: 202,
  },
  {
    method: 'GET',
    path: '/audit',
    function: 'audit',
    principal: 'admin',
    summary: 'Audit events, newest first; filters since, until, action, actor, targetId',
    query: schemas.auditQuery,
    status: 200,
  },

  {
    method: 'POST',
    path: '/webhooks',
    function: 'webhooks',
    principal: 'admin',
    summary: 'Register a webhook endpoint; its signing secret is answered this once',
    body: schemas.createWebhookBody,
    status: 201,
  },
  {
    method: 'GET',
    path: '/webhooks',
    function: 'webhooks',
    principal: 'admin',
    summary: 'List webhook endpoints, newest first',
    status: 200,
  },
  {
    method: 'DELETE',
    path: '/webhooks/{id}',
    function: 'webhooks',
    principal: 'admin',
    summary: 'Remove a webhook endpoint: it gets no further deliveries',
    status: 200,
  },
  {
    method: 'POST',
    path: '/webhooks/{id}/test',
    function: 'webhooks',
    principal: 'admin',
    summary: 'Queue a sample event (webhook.test) to one endpoint',
    body: schemas.emptyBody,
    status: 202,
  },
  {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    function: 'webhooks',
    principal: 'admin',
    summary: "An endpoint's deliveries, newest first, with their attempts",
    query: schemas.pageQuery,
    status: 200,
  },

  {
    method: 'POST',
    path: '/delegate/invitations',
    function: 'delegate',
    principal: 'delegate',
    summary: 'Create a sub-invitation under the caller',
    body: schemas.delegateCreateBody,
    status: 201,
  },
  {
    method: 'GET',
    path: '/delegate/invitations',
    function: 'delegate',
    principal: 'delegate',
    summary: "The caller's subtree of invitations",
    query: schemas.pageQuery,
    status: 200,
  },

  {
    method: 'POST',
    path: '/delegate/batches',
    function: 'delegate',
    principal: 'delegate',
    summary: 'Start a batch of sub-invitations under the caller',
    body: schemas.delegateBatchBody,
    query: schemas.delegateBatchQuery,
    acceptsCsv: true,
    status: 201,
  },
  {
    method: 'GET',
    path: '/delegate/batches/{id}',
    function: 'delegate',
    principal: 'delegate',
    summary: "One of the caller's batches",
    status: 200,
  },
  {
    method: 'GET',
    path: '/delegate/batches/{id}/results',
    function: 'delegate',
    principal: 'delegate',
    summary: "The results CSV of one of the caller's batches",
    status: 200,
  },

  {
    method: 'POST',
    path: '/accept',
    function: 'accept',
    principal: 'recipient',
    summary: 'Accept an encoded invitation and register the device',
    body: schemas.acceptBody,
    status: 200,
  },
  {
    method: 'POST',
    path: '/registry/register',
    function: 'registry',
    principal: 'recipient',
    summary: 'Register a device (reference client contract)',
    body: schemas.registryRegisterBody,
    status: 200,
  },
  {
    method: 'GET',
    path: '/registry/validate',
    function: 'registry',
    principal: 'recipient',
    summary: 'Is this device valid for this token',
    query: schemas.registryValidateQuery,
    status: 200,
  },
  {
    method: 'GET',
    path: '/registry/devices',
    function: 'registry',
    principal: 'recipient',
    summary: 'Devices registered with this token',
    query: schemas.registryTokenQuery,
    status: 200,
  },
  {
    method: 'DELETE',
    path: '/registry/revoke',
    function: 'registry',
    principal: 'recipient',
    summary: 'Revoke one of this token’s devices',
    query: schemas.registryRevokeQuery,
    status: 200,
  },
  {
    method: 'DELETE',
    path: '/registry/revoke-all',
    function: 'registry',
    principal: 'recipient',
    summary: 'Revoke all of this token’s devices (no suspension)',
    query: schemas.registryTokenQuery,
    status: 200,
  },
] as const satisfies readonly RouteDefinition[];

export type Route = (typeof ROUTES)[number];

/** The largest CSV a request may carry inline; larger files go through a presigned upload. */
export const INLINE_CSV_MAX_BYTES = 5 * 1024 * 1024;

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): RouteKey => `${route.method} ${route.path}`;

export const routesOf = (fn: FunctionName): RouteDefinition[] => ROUTES.filter((route) => route.function === fn);
