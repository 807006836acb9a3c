import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { tracer } from '../adapters/tracer';
import { logger } from './logger';
import { metrics } from './metrics';

/**
 * Every handler is traced, its log lines carry its own Lambda context (function, request id, cold start)
 * and the metrics it buffered are flushed when it ends. Responses stay out of traces: they carry tokens
 * and encoded invitations. Errors stay in: the few that escape a handler name keys, never secrets.
 */
export const lambdaHandler = <Event, Result>(handle: (event: Event, context: Context) => Promise<Result>) =>
  middy(handle)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
