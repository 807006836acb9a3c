import type { IncomingHttpHeaders } from 'node:http';

export type ObjectCreatedOperation = 'Put' | 'Copy' | 'CompleteMultipartUpload';

/** The route fauxqs serves every object-level S3 request on (virtual-hosted requests are rewritten to it). */
export const OBJECT_ROUTE = '/:bucket/*';

/** The route of fauxqs's bucket-level S3 requests without a trailing slash (OBJECT_ROUTE takes those with one). */
export const BUCKET_ROUTE = '/:bucket';

/** What fauxqs's HTTP app knows of an S3 request once it has answered it. */
export interface AnsweredRequest {
  method: string;
  /** The matched route's pattern; undefined when none matched. */
  route: string | undefined;
  params: unknown;
  query: unknown;
  headers: IncomingHttpHeaders;
  statusCode: number;
}

export interface ObjectCreatedRequest {
  bucket: string;
  key: string;
  operation: ObjectCreatedOperation;
}

/** Tells the requests apart as fauxqs's S3 router does (its `/:bucket/*` PUT and POST handlers). */
function operationOf(method: string, query: Record<string, unknown>, headers: IncomingHttpHeaders) {
  if (method === 'PUT') {
    if ('renameObject' in query || (query.uploadId && query.partNumber)) return undefined;
    return headers['x-amz-copy-source'] ? 'Copy' : 'Put';
  }
  if (method === 'POST' && !('uploads' in query) && query.uploadId) return 'CompleteMultipartUpload';
  return undefined;
}

/**
 * The object a successful PutObject (presigned or not), CopyObject or CompleteMultipartUpload created;
 * undefined for every other request.
 */
export function objectCreatedBy(request: AnsweredRequest): ObjectCreatedRequest | undefined {
  if (request.route !== OBJECT_ROUTE || request.statusCode !== 200) return undefined;
  const { bucket, '*': key } = request.params as { bucket?: string; '*'?: string };
  if (!bucket || !key) return undefined;
  const operation = operationOf(request.method, (request.query ?? {}) as Record<string, unknown>, request.headers);
  return operation && { bucket, key, operation };
}

/** The access key a request was signed with (header or presigned URL); S3 names its caller by it. */
export function accessKeyOf(headers: IncomingHttpHeaders, query: unknown): string | undefined {
  const presigned = (query as Record<string, unknown> | undefined)?.['X-Amz-Credential'];
  const credential =
    typeof presigned === 'string' ? presigned : /Credential=([^,\s]+)/.exec(headers.authorization ?? '')?.[1];
  return credential?.split('/')[0] || undefined;
}

/** An object an S3 request created, with what S3's event notifications tell about it. */
export interface CreatedObject extends ObjectCreatedRequest {
  size: number;
  /** Without the quotes HTTP puts around it. */
  eTag: string;
  /** Grows with every object created, so events about one key can be put in order. */
  sequencer: string;
  time: Date;
  requestId: string;
  hostId: string;
  sourceIp: string;
  /** Undefined for an unsigned request. */
  accessKey?: string;
}
