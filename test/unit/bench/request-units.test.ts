import { requestUnits, sumUnits, type PlainItem } from '../../../bench/shared/request-units';

const s = (text: string) => ({ S: text });
const noStored = () => Promise.reject(new Error('not read back'));

describe('the units a DynamoDB request costs', () => {
  it('bills a strongly consistent read 1 unit a started 4 KB, an eventually consistent one half, a missing item too', async () => {
    const item: PlainItem = { pk: 'INV#1', sk: 'INV', blob: 'x'.repeat(5000) };
    const key = { pk: s('INV#1'), sk: s('INV') };
    const strong = await requestUnits(
      'GetItem',
      { TableName: 't', Key: key, ConsistentRead: true },
      { Item: item },
      noStored,
    );
    const eventual = await requestUnits('GetItem', { TableName: 't', Key: key }, { Item: item }, noStored);
    const missing = await requestUnits('GetItem', { TableName: 't', Key: key, ConsistentRead: true }, {}, noStored);
    expect([strong.readUnits, eventual.readUnits, missing.readUnits]).toEqual([2, 1, 1]);
    expect(strong.partitions).toEqual({ 'INV#1': { read: 2, write: 0 } });
  });

  it('bills every key of a BatchGetItem, found or not, on its own partition', async () => {
    const keys = [
      { pk: s('INV#1'), sk: s('INV') },
      { pk: s('INV#2'), sk: s('INV') },
    ];
    const units = await requestUnits(
      'BatchGetItem',
      { RequestItems: { t: { Keys: keys, ConsistentRead: true } } },
      { Responses: { t: [{ pk: 'INV#1', sk: 'INV' }] } },
      noStored,
    );
    expect(units.readUnits).toBe(2);
    expect(units.partitions).toEqual({ 'INV#1': { read: 1, write: 0 }, 'INV#2': { read: 1, write: 0 } });
  });

  it('doubles a transaction’s writes, sizes an update as stored, and adds an index write for an indexed item', async () => {
    const put = { Put: { TableName: 't', Item: { pk: s('INV#3'), sk: s('INV'), parentShard: s('p#1'), id: s('3') } } };
    const update = { Update: { TableName: 't', Key: { pk: s('INV#1'), sk: s('INV') } } };
    const check = { ConditionCheck: { TableName: 't', Key: { pk: s('INV#2'), sk: s('INV') } } };
    const stored = async (_table: string, key: Record<string, unknown>) =>
      (key.pk as { S: string }).S === 'INV#1' ? { pk: 'INV#1', sk: 'INV', note: 'y'.repeat(1500) } : { pk: 'INV#2' };
    const units = await requestUnits('TransactWriteItems', { TransactItems: [put, update, check] }, {}, stored);
    // put 1 KB → 1, update 1.5 KB → 2, check → 1; doubled. The put item is in the byParent index.
    expect(units).toMatchObject({ readUnits: 0, writeUnits: 8, indexWriteUnits: 1 });
    expect(units.partitions).toEqual({
      'INV#3': { read: 0, write: 2 },
      'INV#1': { read: 0, write: 4 },
      'INV#2': { read: 0, write: 2 },
    });
  });

  it('adds units partition by partition', () => {
    const one = { readUnits: 1, writeUnits: 0, indexWriteUnits: 0, partitions: { a: { read: 1, write: 0 } } };
    const two = { readUnits: 0, writeUnits: 2, indexWriteUnits: 1, partitions: { a: { read: 0, write: 2 } } };
    expect(sumUnits([one, two])).toEqual({
      readUnits: 1,
      writeUnits: 2,
      indexWriteUnits: 1,
      partitions: { a: { read: 1, write: 2 } },
    });
  });
});
