export interface BatchOutcome {
  /** Ids of the messages that failed: left on the queue to be received again. */
  failed: ReadonlySet<string>;
  /** Why the whole batch counts as failed, when the answer was not a usable `SQSBatchResponse`. */
  problem?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a function's answer to an SQS event as Lambda does with `ReportBatchItemFailures`: no answer, or no
 * `batchItemFailures`, or an empty list is complete success; each listed `itemIdentifier` failed; an answer
 * it cannot read (an identifier that is missing, empty or not in the batch included) fails the whole batch.
 */
export function batchOutcome(answer: unknown, messageIds: readonly string[]): BatchOutcome {
  const everything = (problem: string): BatchOutcome => ({ failed: new Set(messageIds), problem });
  if (answer === undefined || answer === null) return { failed: new Set() };
  if (!isRecord(answer)) return everything('the answer is not an object');
  const failures = answer.batchItemFailures;
  if (failures === undefined || failures === null) return { failed: new Set() };
  if (!Array.isArray(failures)) return everything('batchItemFailures is not a list');
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = isRecord(failure) ? failure.itemIdentifier : undefined;
    if (typeof id !== 'string' || !known.has(id)) {
      return everything(`batchItemFailures names ${JSON.stringify(id ?? failure)}, no message of the batch`);
    }
    failed.add(id);
  }
  return { failed };
}
