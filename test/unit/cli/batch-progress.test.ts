import { ApiError, CliError } from '../../../cli/errors';
import { parseWholeNumberIn } from '../../../cli/flags';
import { allPages } from '../../../cli/pages';
import { type Clock, pollDelay, pollUntil } from '../../../cli/poll';
import { progressBar, progressOn } from '../../../cli/progress';
import { renderBatchProgress } from '../../../cli/render';
import { batchViewFixture } from '../../support/views';
import type { BatchView } from '../../../lambdas/contract/views';

const view = (overrides: Partial<BatchView>): BatchView =>
  batchViewFixture({ id: 'B', state: 'processing', ...overrides });

describe('progress line', () => {
  it('draws [#####.....] with done/total rows and failures', () => {
    expect(progressBar(0.25, 10)).toBe('[###.......]');
    expect(progressBar(2)).toBe(`[${'#'.repeat(20)}]`);
    expect(renderBatchProgress(view({ total: 5000, succeeded: 1222, failed: 12, progress: 0.2468 }))).toBe(
      '[#####...............] 1234/5000 rows, 12 failed',
    );
    expect(renderBatchProgress(view({ state: 'awaiting_upload' }))).toBe('[....................] awaiting upload');
  });

  it('redraws in place on a terminal, only when the line changes, and erases it at the end', () => {
    let stderr = '';
    const progress = progressOn({ stderr: (text) => (stderr += text), stderrIsTTY: true });
    progress.show('a');
    progress.show('a');
    progress.show('b');
    progress.clear();
    progress.clear();
    expect(stderr).toBe('\r\x1b[Ka\r\x1b[Kb\r\x1b[K');
  });

  it('writes nothing when stderr is not a terminal', () => {
    let stderr = '';
    const progress = progressOn({ stderr: (text) => (stderr += text), stderrIsTTY: false });
    progress.show('a');
    progress.clear();
    expect(stderr).toBe('');
  });
});

describe('polling', () => {
  it('waits a second for the first minute, then longer, at most 5 s', () => {
    expect([0, 30_000, 60_000, 120_000, 180_000, 300_000, 3_600_000].map(pollDelay)).toEqual([
      1000, 1000, 1000, 2000, 3000, 5000, 5000,
    ]);
  });

  const clock = (): Clock & { time: number } => {
    const fake = { time: 0, now: () => fake.time, sleep: async (ms: number) => void (fake.time += ms) };
    return fake;
  };
  const timeout = () => new CliError('gave up', 'wait_timeout');

  it('reads until done and reports every value', async () => {
    const seen: number[] = [];
    let n = 0;
    const result = await pollUntil(async () => ++n, {
      clock: clock(),
      timeoutMs: 60_000,
      isDone: (value) => value === 3,
      onUpdate: (value) => seen.push(value),
      onTimeout: timeout,
    });
    expect(result).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('sits out up to five transient failures in a row, not a sixth, nor any client error', async () => {
    const failing = (errors: Error[]) => async () => {
      const error = errors.shift();
      if (error) throw error;
      return 'done';
    };
    const options = { clock: clock(), timeoutMs: 600_000, isDone: () => true, onTimeout: timeout };
    const blips = () => [
      new ApiError(503, 'http_503', 'Service Unavailable'),
      new ApiError(429, 'throttled', 'Too many requests'),
      new CliError('cannot reach x', 'connection_failed'),
      new CliError('no answer', 'timeout'),
      new ApiError(502, 'http_502', 'Bad Gateway'),
    ];
    await expect(pollUntil(failing(blips()), options)).resolves.toBe('done');
    await expect(pollUntil(failing([...blips(), new ApiError(500, 'internal', 'boom')]), options)).rejects.toThrow(
      'boom',
    );
    await expect(pollUntil(failing([new ApiError(404, 'not_found', 'no batch')]), options)).rejects.toThrow('no batch');
  });

  it('gives up once the timeout has passed, never sleeping past it', async () => {
    const fake = clock();
    await expect(
      pollUntil(async () => 'running', { clock: fake, timeoutMs: 2500, isDone: () => false, onTimeout: timeout }),
    ).rejects.toThrow('gave up');
    expect(fake.time).toBe(2500);
  });
});

describe('flags and pages', () => {
  it('reads a whole number inside a range, or says the range', () => {
    const parse = parseWholeNumberIn({ min: 1, max: 50 });
    expect(parse('20')).toBe(20);
    for (const text of ['0', '51', '2.5', 'x', '']) expect(() => parse(text)).toThrow('from 1 to 50');
  });

  it('follows every cursor', async () => {
    const pages: Record<string, { batches: number[]; cursor?: string }> = {
      start: { batches: [1, 2], cursor: 'b' },
      b: { batches: [3] },
    };
    expect(await allPages('batches', async (cursor) => pages[cursor ?? 'start']!, 'start')).toEqual({
      batches: [1, 2, 3],
    });
  });
});
