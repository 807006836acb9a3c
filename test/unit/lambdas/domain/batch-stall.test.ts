import { type Batch, chunkEnvelope, finaliseEnvelope } from '../../../../lambdas/domain/batch';
import { type StallLimits, stallOf } from '../../../../lambdas/domain/batch-stall';

const LIMITS: StallLimits = { upload: 1200, split: 1200, finalise: 360, rows: 900, resend: 4 * 86_400 };
const NOW = new Date('2026-12-02T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

const batch = (fields: Partial<Batch>): Batch => ({
  id: '01M8VXAXF4KPGTZZ9QSHQ01G40',
  state: 'processing',
  source: 'api',
  options: { includeEncoded: false, concurrency: 5, hasHeader: true },
  createdBy: 'admin',
  createdAt: ago(7200),
  updatedAt: ago(7200),
  objectKey: 'uploads/01M8VXAXF4KPGTZZ9QSHQ01G40.csv',
  warnings: [],
  succeeded: 0,
  failed: 0,
  ...fields,
});

describe('when a batch counts as stalled', () => {
  test('a file that arrived but was never split, past the upload limit: split it', () => {
    expect(stallOf(batch({ state: 'queued', updatedAt: ago(1199) }), NOW, LIMITS)).toBeUndefined();
    expect(stallOf(batch({ state: 'queued', updatedAt: ago(1200) }), NOW, LIMITS)).toEqual({
      stage: 'upload',
      action: 'split',
      idleSeconds: 1200,
    });
    expect(stallOf(batch({ state: 'awaiting_upload', updatedAt: ago(5000) }), NOW, LIMITS)?.action).toBe('split');
  });

  test('a split that stopped before sending every chunk: send the rest, once nothing moved for the split limit', () => {
    const cut = batch({ total: 1000, succeeded: 100, updatedAt: ago(5000) });
    expect(stallOf({ ...cut, progressAt: ago(600) }, NOW, LIMITS)).toBeUndefined();
    expect(stallOf({ ...cut, progressAt: ago(1300) }, NOW, LIMITS)).toEqual({
      stage: 'split',
      action: 'resume',
      idleSeconds: 1300,
    });
  });

  test('every row accounted for but no results: ask for them again after the finalise limit', () => {
    const done = batch({ total: 50, succeeded: 40, failed: 10, dispatchedAt: ago(4000) });
    expect(stallOf({ ...done, progressAt: ago(300) }, NOW, LIMITS)).toBeUndefined();
    expect(stallOf({ ...done, progressAt: ago(400) }, NOW, LIMITS)).toEqual({
      stage: 'finalise',
      action: 'finalise',
      idleSeconds: 400,
    });
  });

  test('chunks pending and none recorded: reported and left to the queue, sent again only once it cannot hold them', () => {
    const pending = batch({ total: 1000, succeeded: 500, dispatchedAt: ago(100_000) });
    expect(stallOf({ ...pending, progressAt: ago(800) }, NOW, LIMITS)).toBeUndefined();
    expect(stallOf({ ...pending, progressAt: ago(900) }, NOW, LIMITS)).toMatchObject({ stage: 'rows', action: 'none' });
    expect(stallOf({ ...pending, progressAt: ago(4 * 86_400) }, NOW, LIMITS)).toMatchObject({
      stage: 'rows',
      action: 'resume',
    });
    expect(stallOf({ ...pending, progressAt: undefined }, NOW, LIMITS)?.idleSeconds).toBe(100_000);
  });

  test.each(['completed', 'failed'] as const)('a %s batch never is', (state) => {
    expect(stallOf(batch({ state, updatedAt: ago(1e7) }), NOW, LIMITS)).toBeUndefined();
  });
});

describe('the row queue’s message groups', () => {
  const rows = { kind: 'rows' as const, batchId: 'B', rows: [] };

  test('chunks go round the batch’s lanes, one message group per lane', () => {
    const groups = [0, 1, 2, 3, 4, 5, 6].map((chunk) => chunkEnvelope({ ...rows, chunk }, 3).group);
    expect(groups).toEqual(['B.lane-0', 'B.lane-1', 'B.lane-2', 'B.lane-0', 'B.lane-1', 'B.lane-2', 'B.lane-0']);
    expect(new Set([0, 1, 2].map((chunk) => chunkEnvelope({ ...rows, chunk }, 1).group))).toEqual(
      new Set(['B.lane-0']),
    );
  });

  test('a chunk sent twice is one message, unless resent on purpose; a request for results is one whatever asks, in a group of its own', () => {
    expect(chunkEnvelope({ ...rows, chunk: 7 }, 2).deduplicationId).toBe('B.chunk-7');
    expect(chunkEnvelope({ ...rows, chunk: 7 }, 5).deduplicationId).toBe('B.chunk-7');
    expect(chunkEnvelope({ ...rows, chunk: 7 }, 5, '1764676800000').deduplicationId).toBe('B.chunk-7.1764676800000');
    expect(finaliseEnvelope('B')).toEqual({
      message: { kind: 'finalise', batchId: 'B' },
      group: 'B.finalise',
      deduplicationId: 'B.finalise',
    });
  });
});
