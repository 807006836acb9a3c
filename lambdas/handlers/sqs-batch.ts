import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { defaultDeps } from '../adapters/composition';
import type { Deps } from '../usecases/deps';
import { lambdaHandler } from './lambda-handler';
import { logger } from './logger';

/** Records by FIFO message group (one group, in order, for a standard queue's records). */
function byGroup(records: SQSRecord[]): SQSRecord[][] {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? '';
    const members = groups.get(group);
    if (members) members.push(record);
    else groups.set(group, [record]);
  }
  return [...groups.values()];
}

/**
 * Runs `handle` for every message of an SQS event and reports the ones that failed
 * (`ReportBatchItemFailures`), so one bad message never sends its neighbours round again. Messages of one
 * FIFO group run one after another, groups side by side: a batch's lanes keep their concurrency however
 * SQS bundles them into events. A failed message does not stop the rest of its group: the registry's
 * chunks need no order among themselves. `handle` is also given the invocation's Lambda context (its time left) and
 * the process's composition root.
 */
export function sqsBatchHandler<Message>(
  handle: (message: Message, record: SQSRecord, context: Context, deps: Deps) => Promise<void>,
) {
  return lambdaHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const run = async (record: SQSRecord) => {
      try {
        await handle(JSON.parse(record.body) as Message, record, context, defaultDeps());
      } catch (error) {
        logger.error('Message failed', {
          messageId: record.messageId,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          error: error as Error,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    };
    await Promise.all(
      byGroup(event.Records).map(async (group) => {
        for (const record of group) await run(record);
      }),
    );
    return { batchItemFailures: failures };
  });
}
