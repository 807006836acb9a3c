import type { Context } from 'aws-lambda';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../../system/functions';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../emulators/local-aws';
import { projectRoot } from './paths';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export type InvokeFunction = <TResult>(name: FunctionName, event: unknown, requestId: string) => Promise<TResult>;

export const localFunctionName = (name: FunctionName): string => `prism-local-${name}`;

function lambdaContext(name: FunctionName, requestId: string): Context {
  const { timeoutSeconds, memoryMb } = FUNCTIONS[name];
  const functionName = localFunctionName(name);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const unsupported = () => {
    throw new Error('done/fail/succeed are not supported: return a promise from the handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Runs the registry's functions in this process: each function's module is loaded on its first call
 * (its cold start) and kept, and every call gets a Lambda context of its own.
 */
export function lambdaRuntime(root = projectRoot()): InvokeFunction {
  const handlers = new Map<FunctionName, Promise<Handler>>();

  const load = async (name: FunctionName): Promise<Handler> => {
    const entry = join(root, FUNCTIONS[name].entry);
    const module = (await import(entry)) as { handler?: unknown };
    if (typeof module.handler !== 'function') throw new Error(`${FUNCTIONS[name].entry} does not export a handler`);
    return module.handler as Handler;
  };

  const handlerOf = (name: FunctionName): Promise<Handler> => {
    let handler = handlers.get(name);
    if (!handler) {
      handler = load(name);
      handlers.set(name, handler);
      // A module that failed to load is tried again on the next call, as a new Lambda instance would.
      handler.catch(() => handlers.delete(name));
    }
    return handler;
  };

  return async <TResult>(name: FunctionName, event: unknown, requestId: string) => {
    const handler = await handlerOf(name);
    return (await handler(event, lambdaContext(name, requestId))) as TResult;
  };
}
