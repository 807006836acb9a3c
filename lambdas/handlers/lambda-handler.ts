import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { metrics } from './metrics';

/**
 * Every handler's log lines carry its own Lambda context (function, request id, cold start) and the metrics it
 * buffered are flushed when it ends. The Lambda runtime traces each invocation itself (active tracing): traces
 * hold timings, never a response, which may carry tokens and encoded invitations.
 */
export const lambdaHandler = <Event, Result>(handle: (event: Event, context: Context) => Promise<Result>) =>
  middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
