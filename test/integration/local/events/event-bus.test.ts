import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS, LOCAL_NAMES } from '../../../../system/resources';
import { startLocalEventBus, type LocalEventBus } from '../../../../local/events/event-bus';
import { readLocalEvents } from '../../../../local/events/event-log';
import { stackFiles } from '../../../../local/stack/paths';

const home = mkdtempSync(join(tmpdir(), 'prism-events-test-'));
let bus: LocalEventBus;
let client: EventBridgeClient;

beforeAll(async () => {
  bus = await startLocalEventBus({ port: 0, file: stackFiles(home).events });
  client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await bus.close();
  rmSync(home, { recursive: true, force: true });
});

const entry = (detail: Record<string, unknown>, overrides: object = {}) => ({
  EventBusName: LOCAL_NAMES.eventBus,
  Source: EVENTS.source,
  DetailType: EVENTS.batchCompleted,
  Detail: JSON.stringify(detail),
  ...overrides,
});

describe('the local event bus', () => {
  it('has no events before the first put', () => {
    expect(readLocalEvents(join(home, 'never-started'))).toEqual([]);
  });

  it('accepts PutEvents from the SDK and logs each event, as EventBridge delivers it, before answering', async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ batchId: 'b1', succeeded: 2 }),
          entry(
            { batchId: 'b2' },
            {
              EventBusName: `arn:aws:events:us-east-1:000000000000:event-bus/${LOCAL_NAMES.eventBus}`,
              Resources: ['arn:aws:s3:::prism-registry-local/results/b2.csv'],
              Time: new Date('2026-03-01T10:20:30.456Z'),
            },
          ),
        ],
      }),
    );

    expect(answer).toMatchObject({
      FailedEntryCount: 0,
      Entries: [{ EventId: expect.any(String) }, { EventId: expect.any(String) }],
    });
    expect(readLocalEvents(home)).toEqual([
      {
        version: '0',
        id: answer.Entries![0]!.EventId,
        'detail-type': EVENTS.batchCompleted,
        source: EVENTS.source,
        account: '000000000000',
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        region: 'us-east-1',
        resources: [],
        detail: { batchId: 'b1', succeeded: 2 },
        bus: LOCAL_NAMES.eventBus,
      },
      expect.objectContaining({
        id: answer.Entries![1]!.EventId,
        time: '2026-03-01T10:20:30Z',
        resources: ['arn:aws:s3:::prism-registry-local/results/b2.csv'],
        detail: { batchId: 'b2' },
        bus: LOCAL_NAMES.eventBus,
      }),
    ]);
    expect(statSync(stackFiles(home).events).mode & 0o777).toBe(0o600);
  });

  it('refuses entries EventBridge would refuse, one by one, and logs only the others', async () => {
    const before = readLocalEvents(home).length;
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ batchId: 'b3' }, { EventBusName: 'someone-elses-bus' }),
          entry({}, { Detail: '["not", "an object"]' }),
          entry({}, { Source: undefined }),
          entry({ batchId: 'b4' }),
        ],
      }),
    );

    expect(answer.FailedEntryCount).toBe(3);
    expect(answer.Entries).toEqual([
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus someone-elses-bus does not exist.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Source') },
      { EventId: expect.any(String) },
    ]);
    expect(
      readLocalEvents(home)
        .slice(before)
        .map((event) => event.detail),
    ).toEqual([{ batchId: 'b4' }]);
  });

  it('refuses more than 10 entries at once, and every operation but PutEvents, as JSON errors', async () => {
    const eleven = Array.from({ length: 11 }, (_, index) => entry({ index }));
    await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: 'The local event bus serves AWSEvents.PutEvents only.',
    });
  });
});
