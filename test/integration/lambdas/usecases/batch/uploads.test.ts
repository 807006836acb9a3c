import type { Context, S3Event } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { config } from '../../../../../lambdas/config';
import type { Batch } from '../../../../../lambdas/domain/batch';
import { startedResult } from '../../../../../lambdas/handlers/batch-answers';
import { handler as splitter } from '../../../../../lambdas/handlers/batch-splitter';
import { logger } from '../../../../../lambdas/handlers/logger';
import { batchResults } from '../../../../../lambdas/usecases/batch/requests';
import { startBatch } from '../../../../../lambdas/usecases/batch/start';
import type { StartedBatchUpload } from '../../../../../lambdas/contract/views';
import { objectCreatedEvent } from '../../../../../local/events/s3-event';
import { SEED_HEADER, classTemplate } from '../../../../support/class-template';
import { AS_ADMIN, integrationDeps } from '../../../../support/deps';
import { drive } from '../../../../support/pipeline-driver';

/**
 * docs/SPEC.md §3.9 against DynamoDB Local and fauxqs: a batch's presigned URL takes one file of at most the maximum
 * size, and both passes of the splitter read that file. The splitter runs as Lambda runs it, on S3 events
 * describing each upload; fauxqs keeps no versions, so the file is pinned by its ETag.
 */
jest.setTimeout(120_000);

const deps = integrationDeps();
const context = { awsRequestId: 'test', functionName: 'batchSplitter' } as Context;

const batchNow = async (id: string) => (await deps.batches.getBatch(id))!;
const ended = (id: string) => async () => ['completed', 'failed'].includes((await batchNow(id)).state);
const objectKey = (batchId: string) => `uploads/${batchId}.csv`;

async function presignedBatch(): Promise<StartedBatchUpload> {
  const { status, body } = startedResult(await startBatch(deps, { request: {}, source: 'api', origin: AS_ADMIN }));
  expect(status).toBe(201);
  return body as StartedBatchUpload;
}

interface Upload {
  key: string;
  /** Unquoted, as S3 events give it. */
  eTag: string;
  size: number;
}

/** PUTs `csv` to the presigned URL as any HTTP client would. */
async function upload({ batchId, uploadUrl }: StartedBatchUpload, csv: string): Promise<Upload> {
  const body = Buffer.from(csv);
  const response = await fetch(uploadUrl, { method: 'PUT', body });
  expect(response.status).toBe(200);
  return { key: objectKey(batchId), eTag: response.headers.get('etag')!.replace(/"/g, ''), size: body.length };
}

/** The ObjectCreated event S3 sends the splitter about that upload. */
const eventAbout = ({ key, eTag, size }: Upload): S3Event =>
  objectCreatedEvent(
    {
      bucket: config.bucketName(),
      key,
      operation: 'Put',
      size,
      eTag,
      sequencer: Date.now().toString(16).toUpperCase(),
      time: new Date(),
      requestId: 'test',
      hostId: 'test',
      sourceIp: '127.0.0.1',
    },
    'batchSplitter',
  );

const split = (uploaded: Upload) => splitter(eventAbout(uploaded), context);

const swapped = (rows: number) =>
  [SEED_HEADER, ...Array.from({ length: rows }, (_, n) => `Swapped-${n + 1},admin,365,yes,yes,no,5`)].join('\n');

async function resultNames(batch: Batch): Promise<string[]> {
  const answer = await batchResults(deps, batch);
  if (!('csv' in answer)) throw new Error('expected inline results');
  return (parse(answer.csv, { columns: true, bom: true }) as Record<string, string>[]).map((row) => row.Name!);
}

async function invitationsOf(batchId: string): Promise<number> {
  const page = await deps.store.listInvitations({ batchId }, 100, undefined, new Date().toISOString());
  return page.items.length;
}

let warnings: jest.SpyInstance;

beforeEach(() => {
  warnings = jest.spyOn(logger, 'warn');
});

afterEach(() => {
  warnings.mockRestore();
});

describe('a batch upload', () => {
  test('a second PUT to a used upload URL changes nothing: rows, counts and results come from the first file', async () => {
    const started = await presignedBatch();
    const first = await upload(started, classTemplate(3));
    await split(first);
    await drive(started.batchId, ended(started.batchId));
    const done = await batchNow(started.batchId);
    expect(done).toMatchObject({ state: 'completed', total: 3, succeeded: 3, failed: 0 });
    expect(done.input).toEqual({ eTag: `"${first.eTag}"`, size: first.size });
    warnings.mockClear();

    const second = await upload(started, swapped(5));
    await split(second);
    await split(first);

    expect(await batchNow(started.batchId)).toEqual(done);
    expect(await resultNames(done)).toEqual(['Student-1', 'Student-2', 'Student-3']);
    expect(await invitationsOf(started.batchId)).toBe(3);
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings).toHaveBeenCalledWith('Batch file ignored', {
      key: first.key,
      size: second.size,
      outcome: 'ignored',
      batchId: started.batchId,
      reason: 'another_file',
    });
    expect(JSON.stringify(warnings.mock.calls)).not.toMatch(/X-Amz-|Signature/i);
  });

  test('a file over the maximum size is refused on arrival with the reason, removed, and creates nothing', async () => {
    const limit = process.env.REGISTRY_BATCH_MAX_BYTES;
    process.env.REGISTRY_BATCH_MAX_BYTES = '100';
    try {
      const started = await presignedBatch();
      const oversized = await upload(started, classTemplate(5));
      expect(oversized.size).toBeGreaterThan(100);
      await split(oversized);

      const refused = await batchNow(started.batchId);
      expect(refused).toMatchObject({
        state: 'failed',
        input: { size: oversized.size },
        error: {
          code: 'too_large',
          message: `The file is ${oversized.size} bytes, larger than 100 bytes, the maximum. Split it into smaller files.`,
        },
      });
      expect(refused.total).toBeUndefined();
      expect(await deps.objects.info(oversized.key)).toBeUndefined();
      expect(await invitationsOf(started.batchId)).toBe(0);
      expect(warnings).toHaveBeenCalledWith(
        'Batch file refused and removed',
        expect.objectContaining({ batchId: started.batchId, size: oversized.size, maxBytes: 100 }),
      );

      // The URL still works (until it expires), but the batch took its one file.
      const small = await upload(started, `${SEED_HEADER}\nTiny,ro,1,no,no,no,1\n`);
      await split(small);
      expect(await batchNow(started.batchId)).toEqual(refused);
      expect(await invitationsOf(started.batchId)).toBe(0);
    } finally {
      if (limit === undefined) delete process.env.REGISTRY_BATCH_MAX_BYTES;
      else process.env.REGISTRY_BATCH_MAX_BYTES = limit;
    }
  });

  test("two uploads before the first event is handled: the first claims the batch, and the second's bytes are never read", async () => {
    const started = await presignedBatch();
    const first = await upload(started, classTemplate(3));
    const second = await upload(started, swapped(3));
    await split(first);
    await split(second);

    expect(await batchNow(started.batchId)).toMatchObject({
      state: 'failed',
      input: { eTag: `"${first.eTag}"` },
      error: { code: 'input_changed' },
    });
    expect(await invitationsOf(started.batchId)).toBe(0);
    expect(warnings).toHaveBeenCalledWith(
      'Batch file ignored',
      expect.objectContaining({ batchId: started.batchId, reason: 'another_file' }),
    );
  });
});
