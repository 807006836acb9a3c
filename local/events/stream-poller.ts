import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../../system/functions';
import { AUDIT_STREAM } from '../../system/resources';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../emulators/local-aws';
import type { InvokeFunction } from '../stack/lambda-runtime';
import { batchOutcome } from './batch-response';
import { dynamoDbStreamEvent } from './dynamodb-stream-event';
import { type StreamCheckpoints, loadCheckpoints, saveCheckpoints } from './stream-checkpoints';

/** How a stream feeds its function: AUDIT_STREAM's settings, as the event source mapping reads them in AWS. */
export interface StreamSettings {
  batchSize: number;
  retryAttempts: number;
  bisectBatchOnError: boolean;
}

/** The stream's shards are listed again this often, to find the shards that follow those that ended. */
const DESCRIBE_EVERY_MS = 10_000;

/** The longest wait before a retry. */
const MAX_RETRY_DELAY_MS = 30_000;

export interface StreamPollerOptions {
  /** DynamoDB Local, which serves the table and its stream. */
  endpoint: string;
  tableName: string;
  functionName: FunctionName;
  invoke: InvokeFunction;
  /** Where the position reached in each shard is kept, so a restart goes on from it (`stream-checkpoints.ts`). */
  checkpointFile: string;
  settings?: StreamSettings;
  /** The wait before reading again a stream that had nothing new. */
  pollIntervalMs?: number;
  /** The wait before the first retry of a batch; each further retry waits twice as long, 30 s at most. */
  retryDelayMs?: number;
}

export interface StreamPoller {
  /** Stops reading, then waits for the invocation under way (its position saved). */
  stop(): Promise<void>;
}

/** What a shard's next read starts from, besides its checkpoint. */
interface ShardReading {
  /** The iterator a read returned, when the next read follows on from it. */
  iterator?: string;
  /** A batch being retried: from which record, how often already, how many records, not before when. */
  retry?: { from: string; attempts: number; limit: number; notBefore: number };
}

const sequenceNumberOf = (record: _Record): string => record.dynamodb?.SequenceNumber ?? '';

/**
 * Feeds a table's stream to a function as Lambda's DynamoDB event source does with AUDIT_STREAM's settings: shard
 * by shard (a child after its parent), batches of up to `batchSize` records, only `INSERT` records handed over
 * (the filter the event source applies in AWS), one invocation at a time. A batch whose invocation threw, or that
 * answered `batchItemFailures`, is read again from its first failed record after a growing wait (halved when it
 * threw, with `bisectBatchOnError`); after `retryAttempts` retries it is given up, with a line in the log naming its
 * records (they stay in the table), where AWS would describe it in the on-failure queue. The position after each
 * batch handled is saved (`checkpointFile`), so a stack stopped or killed goes on where it was when it starts
 * again: records written meanwhile are handed over then, as long as the stream still keeps them (24 hours). A batch
 * handed over but not yet saved when the stack died is handed over again: delivery is at least once.
 */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { endpoint, tableName, functionName, invoke, checkpointFile } = options;
  const { settings = AUDIT_STREAM, pollIntervalMs = 250, retryDelayMs = 1_000 } = options;
  const clientOptions = { endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS };
  const dynamodb = new DynamoDBClient(clientOptions);
  const streams = new DynamoDBStreamsClient(clientOptions);
  const label = `[${tableName} stream → ${functionName}]`;
  const stopping = new AbortController();
  const readings = new Map<string, ShardReading>();
  let stream: { arn: string; shards: Shard[]; describedAt: number } | undefined;
  let checkpoints: StreamCheckpoints | undefined;

  /** Resolves after `milliseconds`, or as soon as the poller stops. */
  const pause = (milliseconds: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, milliseconds);
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  const describe = async (): Promise<{ arn: string; shards: Shard[] }> => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const arn = Table?.LatestStreamArn;
    if (!arn) throw new Error(`${tableName} has no stream`);
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    if (checkpoints?.streamArn !== arn) {
      checkpoints = loadCheckpoints(checkpointFile, arn);
      readings.clear();
    }
    stream = { arn, shards, describedAt: Date.now() };
    return stream;
  };

  const positions = (): StreamCheckpoints => {
    if (!checkpoints) throw new Error('The stream has not been described yet');
    return checkpoints;
  };

  const save = (shardId: string, position: { after?: string; ended?: true }) => {
    const saved = positions();
    saved.shards[shardId] = { ...saved.shards[shardId], ...position };
    saveCheckpoints(checkpointFile, saved);
  };

  /** An iterator from just after the shard's checkpoint, or from its oldest record. */
  const iteratorOf = async (arn: string, shardId: string): Promise<string | undefined> => {
    const after = positions().shards[shardId]?.after;
    const from = (position: { ShardIteratorType: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER'; SequenceNumber?: string }) =>
      streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ...position }));
    if (!after) return (await from({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    try {
      return (await from({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after })).ShardIterator;
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      console.error(
        `${label} the records after ${after} in ${shardId} are no longer in the stream (it keeps 24 hours): ` +
          'going on from its oldest record; the events of those gone are in the audit log only',
      );
      return (await from({ ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    }
  };

  /** What to do after a batch not handled whole from `failedFrom` on: keep what came before it, retry or give up. */
  const failed = (shardId: string, records: _Record[], failedFrom: number, threw: boolean, reading: ShardReading) => {
    if (failedFrom > 0) save(shardId, { after: sequenceNumberOf(records[failedFrom - 1]!) });
    const from = sequenceNumberOf(records[failedFrom]!);
    const last = sequenceNumberOf(records.at(-1)!);
    const attempts = reading.retry?.from === from ? reading.retry.attempts + 1 : 1;
    reading.iterator = undefined;
    if (attempts > settings.retryAttempts) {
      console.error(
        `${label} gave up on records ${from} to ${last} of ${shardId} after ${settings.retryAttempts} retries; ` +
          'they stay in the table',
      );
      save(shardId, { after: last });
      reading.retry = undefined;
      return;
    }
    const failing = records.length - failedFrom;
    const limit =
      threw && settings.bisectBatchOnError ? Math.ceil(failing / 2) : (reading.retry?.limit ?? settings.batchSize);
    const delay = Math.min(retryDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
    console.error(`${label} records ${from} to ${last} of ${shardId} go round again in ${delay / 1000}s`);
    reading.retry = { from, attempts, limit, notBefore: Date.now() + delay };
  };

  /** Hands the `INSERT` records of a batch to the function and moves the shard's checkpoint on what it handled. */
  const deliver = async (arn: string, shardId: string, records: _Record[], reading: ShardReading) => {
    const inserts = records.filter((record) => record.eventName === 'INSERT');
    if (inserts.length > 0) {
      const requestId = randomUUID();
      try {
        const answer = await invoke(functionName, dynamoDbStreamEvent(inserts, arn), requestId);
        const outcome = batchOutcome(answer, inserts.map(sequenceNumberOf));
        if (outcome.problem) console.error(`${label} ${requestId}: every record failed, ${outcome.problem}`);
        if (outcome.failed.size > 0) {
          const failedFrom = records.findIndex((record) => outcome.failed.has(sequenceNumberOf(record)));
          return failed(shardId, records, failedFrom, false, reading);
        }
      } catch (error) {
        console.error(`${label} ${requestId} threw on records from ${sequenceNumberOf(records[0]!)}:`, error);
        return failed(shardId, records, 0, true, reading);
      }
    }
    save(shardId, { after: sequenceNumberOf(records.at(-1)!) });
    reading.retry = undefined;
  };

  /** One read of a shard, unless it waits for a retry: whether it had records. */
  const readShard = async (arn: string, shardId: string): Promise<boolean> => {
    const reading = readings.get(shardId) ?? {};
    readings.set(shardId, reading);
    if (reading.retry && Date.now() < reading.retry.notBefore) return false;
    const iterator = reading.iterator ?? (await iteratorOf(arn, shardId));
    let page;
    try {
      page = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: reading.retry?.limit ?? settings.batchSize }),
      );
    } catch (error) {
      reading.iterator = undefined;
      if (error instanceof ExpiredIteratorException) return true;
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      // DynamoDB Local answers so a read from the oldest record of a shard that has none yet: nothing to hand over.
      const after = positions().shards[shardId]?.after;
      if (!after) return false;
      console.error(
        `${label} the records after ${after} in ${shardId} are no longer in the stream: reading from its oldest`,
      );
      save(shardId, { after: undefined });
      return true;
    }
    const records = page.Records ?? [];
    reading.iterator = page.NextShardIterator;
    if (records.length > 0) {
      await deliver(arn, shardId, records, reading);
      return true;
    }
    if (!page.NextShardIterator) {
      // An ended shard read to its end: its children come next.
      save(shardId, { ended: true });
      stream = undefined;
    }
    return false;
  };

  /** One read of every shard due, parents before children: whether any had records. */
  const round = async (): Promise<boolean> => {
    const { arn, shards } = stream && Date.now() - stream.describedAt < DESCRIBE_EVERY_MS ? stream : await describe();
    const ended = (shardId: string) => positions().shards[shardId]?.ended === true;
    const listed = new Set(shards.map((shard) => shard.ShardId));
    let busy = false;
    for (const { ShardId: shardId, ParentShardId: parent } of shards) {
      if (stopping.signal.aborted || !shardId || ended(shardId)) continue;
      if (parent && listed.has(parent) && !ended(parent)) continue;
      busy = (await readShard(arn, shardId)) || busy;
    }
    return busy;
  };

  const poll = async () => {
    let failing = false;
    while (!stopping.signal.aborted) {
      let busy = false;
      try {
        busy = await round();
        failing = false;
      } catch (error) {
        // One line per outage, not one per attempt.
        if (!failing) console.error(`${label} cannot read the stream; trying again every ${pollIntervalMs} ms:`, error);
        failing = true;
        stream = undefined;
        for (const reading of readings.values()) reading.iterator = undefined;
      }
      if (!busy) await pause(pollIntervalMs);
    }
  };

  const polling = poll();
  return {
    stop: async () => {
      stopping.abort();
      await polling;
      dynamodb.destroy();
      streams.destroy();
    },
  };
}
