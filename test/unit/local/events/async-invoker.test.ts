import type { FunctionName } from '../../../../system/functions';
import { ASYNC_RETRY_DELAYS_MS, asyncInvoker } from '../../../../local/events/async-invoker';
import type { InvokeFunction } from '../../../../local/stack/lambda-runtime';

const invoke = jest.fn<Promise<unknown>, [FunctionName, unknown, string]>();
const invoker = () => asyncInvoker(invoke as unknown as InvokeFunction);
let logged: jest.SpyInstance;

beforeEach(() => {
  jest.useFakeTimers();
  invoke.mockReset();
  logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.useRealTimers();
  logged.mockRestore();
});

const [firstDelay, secondDelay] = ASYNC_RETRY_DELAYS_MS as [number, number];
const output = () => logged.mock.calls.flat().map(String).join('\n');

describe('asynchronous invocations', () => {
  it('return at once and invoke the function once when it succeeds', async () => {
    let finish: () => void = () => undefined;
    invoke.mockReturnValue(new Promise((resolve) => (finish = () => resolve(undefined))));
    const events = invoker();
    events.invoke('batchSplitter', { Records: [] }, 's3://bucket/uploads/a.csv');
    expect(invoke).toHaveBeenCalledWith('batchSplitter', { Records: [] }, expect.any(String));
    finish();
    await events.stop();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(logged).not.toHaveBeenCalled();
  });

  it('retry a function that throws twice, after the retry delays, with the same request id, then give up', async () => {
    invoke.mockRejectedValue(new Error('table is gone'));
    const events = invoker();
    events.invoke('batchSplitter', {}, 's3://bucket/uploads/a.csv');
    await jest.advanceTimersByTimeAsync(0);
    expect(invoke).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(firstDelay - 1);
    expect(invoke).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(invoke).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(secondDelay);
    expect(invoke).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(invoke).toHaveBeenCalledTimes(3);

    expect(new Set(invoke.mock.calls.map(([, , requestId]) => requestId)).size).toBe(1);
    expect(output()).toContain('s3://bucket/uploads/a.csv failed (attempt 3); giving up');
    expect(output()).toContain('table is gone');
    await events.stop();
  });

  it('stop once a retry succeeds', async () => {
    invoke.mockRejectedValueOnce(new Error('not yet')).mockResolvedValue(undefined);
    const events = invoker();
    events.invoke('batchSplitter', {}, 'the object');
    await jest.advanceTimersByTimeAsync(firstDelay + secondDelay);
    expect(invoke).toHaveBeenCalledTimes(2);
    await events.stop();
  });

  it('drop the retries still waiting on stop, saying so, and wait for the invocations under way', async () => {
    let finish: () => void = () => undefined;
    invoke.mockRejectedValueOnce(new Error('first fails'));
    invoke.mockReturnValueOnce(new Promise((resolve) => (finish = () => resolve(undefined))));
    const events = invoker();
    events.invoke('batchSplitter', {}, 'failing object');
    events.invoke('batchSplitter', {}, 'slow object');
    await jest.advanceTimersByTimeAsync(0);

    let stopped = false;
    const stopping = events.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(firstDelay + secondDelay);
    expect(stopped).toBe(false);
    finish();
    await stopping;

    expect(invoke).toHaveBeenCalledTimes(2);
    expect(output()).toContain('failing object: retry dropped, the stack is stopping');
  });
});
