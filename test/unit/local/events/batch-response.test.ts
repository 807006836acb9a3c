import { batchOutcome } from '../../../../local/events/batch-response';

const ids = ['m1', 'm2', 'm3'];

describe('reading an answer to an SQS event (ReportBatchItemFailures)', () => {
  it.each([
    ['no answer', undefined],
    ['null', null],
    ['an empty object', {}],
    ['null batchItemFailures', { batchItemFailures: null }],
    ['an empty list', { batchItemFailures: [] }],
  ])('counts %s as complete success', (_, answer) => {
    expect(batchOutcome(answer, ids)).toEqual({ failed: new Set() });
  });

  it('fails exactly the messages listed', () => {
    const answer = { batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] };
    expect(batchOutcome(answer, ids)).toEqual({ failed: new Set(['m2', 'm3']) });
  });

  it.each([
    ['a string', 'ok'],
    ['a list', [{ itemIdentifier: 'm1' }]],
    ['batchItemFailures that is not a list', { batchItemFailures: 'm1' }],
    ['an identifier of no message of the batch', { batchItemFailures: [{ itemIdentifier: 'm9' }] }],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemId: 'm1' }] }],
  ])('fails the whole batch for %s, saying why', (_, answer) => {
    const outcome = batchOutcome(answer, ids);
    expect(outcome.failed).toEqual(new Set(ids));
    expect(outcome.problem).toEqual(expect.any(String));
  });
});
