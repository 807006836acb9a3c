import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { BUCKET_ROUTE, OBJECT_ROUTE } from './s3-requests';

const S3_ROUTES: ReadonlySet<string | undefined> = new Set([BUCKET_ROUTE, OBJECT_ROUTE]);

/** A type none of fauxqs's body parsers claims, so its catch-all one reads the body as bytes. */
const READ_AS_BYTES = 'application/octet-stream';

/**
 * Has fauxqs's S3 requests read their bodies as the bytes sent, whatever their `Content-Type`, as S3 does.
 * fauxqs picks a body parser by the type alone: a form-urlencoded or `x-amz-json-1.0` body (what
 * `curl -X PUT --data-binary` or Python's urllib sends) went to its SNS or SQS parser and the PUT failed, and
 * a malformed type was refused. The type is set aside while the body is read, and put back before the handler
 * stores it with the object.
 */
export function readS3BodiesAsBytes(app: FastifyInstance): void {
  const setAside = new WeakMap<IncomingMessage, string | undefined>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (S3_ROUTES.has(request.routeOptions.url)) {
      setAside.set(request.raw, request.raw.headers['content-type']);
      request.raw.headers['content-type'] = READ_AS_BYTES;
    }
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (setAside.has(request.raw)) {
      const contentType = setAside.get(request.raw);
      if (contentType === undefined) delete request.raw.headers['content-type'];
      else request.raw.headers['content-type'] = contentType;
    }
    done();
  });
}
