import { SqsRowQueue } from '../../../../lambdas/adapters/row-queue';
import { type RowChunk, type RowQueueMessage, chunkEnvelope } from '../../../../lambdas/domain/batch';
import { newId } from '../../../support/port-contracts/fixtures';
import { rowQueueContract } from '../../../support/port-contracts/row-queue';
import { drainQueue, receiveOnce, scratchQueue } from '../../../support/scratch-queues';

const chunkOf = (batchId: string, n: number, rows: RowChunk['rows'] = []): RowChunk => ({
  kind: 'rows',
  batchId,
  chunk: n,
  rows,
});

describe('the SQS row queue against fauxqs', () => {
  rowQueueContract(async () => {
    const url = await scratchQueue('rows.fifo');
    return {
      queue: new SqsRowQueue(() => url),
      delivered: async () =>
        (await drainQueue(url)).map(({ Body, Attributes }) => ({
          message: JSON.parse(Body!) as RowQueueMessage,
          group: Attributes!.MessageGroupId!,
          deduplicationId: Attributes!.MessageDeduplicationId!,
        })),
      refusing: () => new SqsRowQueue(() => `${url}-gone`),
    };
  });

  test('entries SQS fails are resent until it gives up: the send is an error and the rest are delivered', async () => {
    const url = await scratchQueue('small-rows.fifo', { MaximumMessageSize: '1024' });
    const batchId = `batch-${newId()}`;
    const tooLarge = chunkOf(batchId, 1, [
      { row: 1, line: 2, echo: { name: 'x'.repeat(1024), type: 'user' }, error: 'Name is too long' },
    ]);
    const envelopes = [chunkOf(batchId, 0), tooLarge, chunkOf(batchId, 2)].map((chunk) => chunkEnvelope(chunk, 3));
    await expect(new SqsRowQueue(() => url).send(envelopes)).rejects.toThrow(
      'Could not send 1 message(s) to the row queue after 5 attempts',
    );
    expect((await drainQueue(url)).map(({ Body }) => JSON.parse(Body!) as RowQueueMessage)).toEqual([
      chunkOf(batchId, 0),
      chunkOf(batchId, 2),
    ]);
  });

  test('a received message handed back with retryLater comes back after its seconds, not the visibility timeout', async () => {
    const url = await scratchQueue('retried-rows.fifo', { VisibilityTimeout: '60' });
    const rows = new SqsRowQueue(() => url);
    const chunk = chunkOf(`batch-${newId()}`, 0);
    await rows.send([chunkEnvelope(chunk, 1)]);
    const [received] = await receiveOnce(url);
    await rows.retryLater(received!.ReceiptHandle!, 1);
    expect(await receiveOnce(url)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const [again] = await receiveOnce(url);
    expect(JSON.parse(again!.Body!)).toEqual(chunk);
    expect(again!.Attributes!.ApproximateReceiveCount).toBe('2');
  });
});
