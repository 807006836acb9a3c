import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from './logger';

/** Every handler's log lines carry its own Lambda context (function, request id, cold start). */
export const lambdaHandler = <Event, Result>(handle: (event: Event, context: Context) => Promise<Result>) =>
  middy(handle).use(injectLambdaContext(logger));
