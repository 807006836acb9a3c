import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, StreamRecord } from 'aws-lambda';
import { auditItem } from '../../../../lambdas/adapters/audit-items';
import { config } from '../../../../lambdas/config';
import { auditEvent, type AuditEvent } from '../../../../lambdas/domain/audit';
import { publishedAuditEvent } from '../../../../lambdas/domain/audit-publication';
import { handler } from '../../../../lambdas/handlers/audit-publisher';
import { readLocalEvents } from '../../../../local/events/event-log';
import { ENV, EVENTS } from '../../../../system/resources';
import { newId } from '../../../support/port-contracts/fixtures';
import { AS_ADMIN } from '../../../support/origins';

/**
 * The audit publisher as the audit stream invokes it: each new event goes out on the local event bus, and the
 * records it could not publish come back as batch item failures.
 */

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
let sequence = 0;

const created = (details: AuditEvent['details'] = {}): AuditEvent =>
  auditEvent({ ...AS_ADMIN, requestId: 'req-1', sourceIp: '198.51.100.4' }, 'invitation.created', newId(), details, {
    eventId: newId(),
    at: '2031-03-04T10:00:00Z',
  });

/** The stream record of an audit item as written, as Lambda hands it over. */
function appendedRecord(event: AuditEvent, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  sequence += 1;
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence).padStart(21, '0'),
      NewImage: marshall(auditItem(event)) as StreamRecord['NewImage'],
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const invoke = (records: DynamoDBRecord[]) =>
  handler({ Records: records } satisfies DynamoDBStreamEvent, context) as Promise<DynamoDBBatchResponse>;

/** The events the local bus logged, of these audit events only (other test files share the bus). */
const loggedOf = (events: AuditEvent[]) => {
  const ids = new Set(events.map(({ eventId }) => eventId));
  return readLocalEvents().filter(({ detail }) => ids.has(String(detail.eventId)));
};

describe('the audit publisher', () => {
  test('puts each new event on the registry bus: source, the action as detail type, the published event as detail', async () => {
    const events = [created({ name: 'Physics 101' }), created({ name: 'Chemistry' })];
    const answer = await invoke(events.map((event) => appendedRecord(event)));

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(loggedOf(events)).toEqual(
      events.map((event) =>
        expect.objectContaining({
          source: EVENTS.source,
          'detail-type': 'invitation.created',
          bus: config.eventBusName(),
          detail: publishedAuditEvent(event),
        }),
      ),
    );
  });

  test('publishes no token and no e-mail address, and none of the table’s own attributes', async () => {
    const token = `inv-${'K'.repeat(43)}`;
    const event = { ...created(), details: { name: token, email: 'ada@example.org', note: 'cc bob@example.org' } };
    await invoke([appendedRecord(event)]);

    const [logged] = loggedOf([event]);
    const text = JSON.stringify(logged);
    expect(text).not.toContain(token);
    expect(text).not.toContain('@example.org');
    expect(logged!.detail).not.toHaveProperty('pk');
    expect(logged!.detail).not.toHaveProperty('sk');
    expect(logged!.detail).not.toHaveProperty('ttl');
  });

  test('answers the record it cannot read as a failure, and publishes the others', async () => {
    const [before, after] = [created(), created()];
    const unreadable: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: 'unreadable-1' } };
    const answer = await invoke([appendedRecord(before!), unreadable, appendedRecord(after!)]);

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'unreadable-1' }] });
    expect(loggedOf([before!, after!])).toHaveLength(2);
  });

  test('passes over records that did not append an event', async () => {
    const removed = created();
    const answer = await invoke([appendedRecord(removed, 'REMOVE')]);

    expect(answer).toEqual({ batchItemFailures: [] });
    expect(loggedOf([removed])).toEqual([]);
  });

  test('answers every record as a failure when the bus refuses them all, so the stream hands them over again', async () => {
    const events = [created(), created(), created()];
    const records = events.map((event) => appendedRecord(event));
    const bus = process.env[ENV.eventBusName];
    process.env[ENV.eventBusName] = `${bus}-gone`;
    try {
      const answer = await invoke(records);
      expect(answer.batchItemFailures).toEqual(
        records.map((record) => ({ itemIdentifier: record.dynamodb!.SequenceNumber })),
      );
    } finally {
      process.env[ENV.eventBusName] = bus;
    }
    expect(loggedOf(events)).toEqual([]);
  });
});
