import { channel } from 'node:diagnostics_channel';
import type { FastifyInstance, FastifyListenOptions, FastifyReply, FastifyRequest } from 'fastify';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_REGION } from './local-aws';
import { LOOPBACK } from '../stack/ports';
import { readS3BodiesAsBytes } from '../events/s3-bodies';
import {
  accessKeyOf,
  objectCreatedBy,
  OBJECT_ROUTE,
  type CreatedObject,
  type ObjectCreatedRequest,
} from '../events/s3-requests';

/** S3's largest single PUT; fauxqs's own body limit (11 MiB) would refuse uploads that S3 takes. */
const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;

export type ObjectCreatedListener = (created: CreatedObject) => void;

export interface Fauxqs {
  /** Endpoint for both S3 (with `forcePathStyle: true`) and SQS (as an explicit `endpoint`). */
  endpoint: string;
  server: FauxqsServer;
  /**
   * Calls `listener` once for every object an S3 request creates, after fauxqs has answered the request
   * (fauxqs ignores bucket notification settings). Returns the function that stops the calls.
   */
  onObjectCreated(listener: ObjectCreatedListener): () => void;
  stop(): Promise<void>;
}

export interface FauxqsOptions {
  port: number;
  /** Folder for its SQLite persistence; in memory when absent. */
  dataDir?: string;
}

/** S3's sequencer: hexadecimal that grows with every object created (microseconds, kept strictly increasing). */
function sequencer(): () => string {
  let last = 0;
  return () => {
    last = Math.max(last + 1, Date.now() * 1000);
    return last.toString(16).toUpperCase().padStart(16, '0');
  };
}

type ObjectDescription = Pick<CreatedObject, 'size' | 'eTag'>;

/** Size and ETag of the object, from a HEAD request (fauxqs answers it unsigned). */
async function describeObject(endpoint: string, { bucket, key }: ObjectCreatedRequest): Promise<ObjectDescription> {
  const path = key.split('/').map(encodeURIComponent).join('/');
  const head = await fetch(`${endpoint}/${bucket}/${path}`, { method: 'HEAD' });
  if (head.status !== 200) throw new Error(`HEAD answered ${head.status}`);
  return { size: Number(head.headers.get('content-length')), eTag: (head.headers.get('etag') ?? '').replace(/"/g, '') };
}

/** Installs the S3 hooks on fauxqs's app, which must not have any route yet. */
function hookS3Requests(
  app: FastifyInstance,
  listeners: ReadonlySet<ObjectCreatedListener>,
  describe: (created: ObjectCreatedRequest) => Promise<ObjectDescription>,
): void {
  const nextSequencer = sequencer();
  app.addHook('onRoute', (route) => {
    if (route.url === OBJECT_ROUTE && route.method === 'PUT') route.bodyLimit = MAX_PUT_OBJECT_BYTES;
  });

  const announce = async (request: FastifyRequest, reply: FastifyReply, created: ObjectCreatedRequest) => {
    const facts = {
      ...created,
      sequencer: nextSequencer(),
      time: new Date(),
      requestId: String(reply.getHeader('x-amz-request-id') ?? ''),
      hostId: String(reply.getHeader('x-amz-id-2') ?? ''),
      sourceIp: request.ip,
      accessKey: accessKeyOf(request.headers, request.query),
    };
    try {
      const object: CreatedObject = { ...facts, ...(await describe(created)) };
      for (const listener of listeners) listener(object);
    } catch (error) {
      console.error(`[fauxqs] no object-created event for s3://${created.bucket}/${created.key}:`, error);
    }
  };

  app.addHook('onResponse', (request, reply, done) => {
    const created =
      listeners.size > 0
        ? objectCreatedBy({
            method: request.method,
            route: request.routeOptions.url,
            params: request.params,
            query: request.query,
            headers: request.headers,
            statusCode: reply.statusCode,
          })
        : undefined;
    if (created) void announce(request, reply, created);
    done();
  });
}

/**
 * Has fauxqs's app listen on LOOPBACK: fauxqs listens on every interface whatever it is given (its `host` option
 * only names the host of its queue URLs).
 */
function listenOnLoopback(app: FastifyInstance): void {
  const listen = app.listen.bind(app) as (options: FastifyListenOptions) => Promise<string>;
  app.listen = ((options: FastifyListenOptions) => listen({ ...options, host: LOOPBACK })) as FastifyInstance['listen'];
}

/**
 * Runs `start` with `install` applied to the fastify app it builds: fauxqs does not hand its app out, but
 * fastify announces every instance on a diagnostics channel before any route exists, and fauxqs builds its
 * app before its first await.
 */
async function startHooked(start: () => Promise<FauxqsServer>, install: (app: FastifyInstance) => void) {
  const initialization = channel('fastify.initialization');
  let hooked = false;
  const onInitialization = (message: unknown) => {
    if (hooked) return;
    hooked = true;
    install((message as { fastify: FastifyInstance }).fastify);
  };
  initialization.subscribe(onInitialization);
  let starting: Promise<FauxqsServer>;
  try {
    starting = start();
  } finally {
    initialization.unsubscribe(onInitialization);
  }
  const server = await starting;
  if (!hooked) {
    await server.stop();
    throw new Error('fauxqs no longer builds its HTTP app synchronously: S3 requests cannot be hooked');
  }
  return server;
}

/** Starts the fauxqs SQS + S3 emulator in this process, on LOOPBACK. */
export async function startFauxqsEmulator({ port, dataDir }: FauxqsOptions): Promise<Fauxqs> {
  const listeners = new Set<ObjectCreatedListener>();
  // Known once fauxqs listens, before any request can arrive.
  let endpoint = '';
  const server = await startHooked(
    () => startFauxqs({ port, dataDir, logger: false, defaultRegion: LOCAL_REGION }),
    (app) => {
      listenOnLoopback(app);
      readS3BodiesAsBytes(app);
      hookS3Requests(app, listeners, (created) => describeObject(endpoint, created));
    },
  );
  if (new URL(server.address).hostname !== LOOPBACK) {
    await server.stop();
    throw new Error(`fauxqs listened on ${server.address}, not on ${LOOPBACK} only: stopped it`);
  }
  endpoint = `http://${LOOPBACK}:${server.port}`;
  return {
    endpoint,
    server,
    onObjectCreated: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => server.stop(),
  };
}
