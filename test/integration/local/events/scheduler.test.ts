import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Fauxqs } from '../../../../local/emulators/fauxqs';
import type { LocalQueues } from '../../../../local/emulators/queue-resources';
import { jobQueueSender, startScheduler } from '../../../../local/events/scheduler';
import { startQueueEmulator } from '../../../support/queue-emulator';

let fauxqs: Fauxqs;
let queues: LocalQueues;
let sqs: SQSClient;

beforeAll(async () => {
  ({ fauxqs, queues, sqs } = await startQueueEmulator());
});

afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

const receiveBodies = async (url: string): Promise<unknown[]> => {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }),
  );
  return (Messages ?? []).map((message) => JSON.parse(message.Body ?? 'null'));
};

test('the scheduler sends a due job to the job queue in fauxqs, on a real timer', async () => {
  // A clock running from just before the 1st of the month, 02:00 UTC: the expired cleanup is due in 100 ms.
  const started = Date.now();
  const now = () => new Date(Date.parse('2026-12-01T01:59:59.900Z') + (Date.now() - started));
  const sender = jobQueueSender(fauxqs.endpoint, queues);
  const scheduler = startScheduler({ send: sender.send, now });
  try {
    expect(await receiveBodies(queues.jobs.url)).toEqual([
      { schedule: 'expired-cleanup', time: '2026-12-01T02:00:00Z' },
    ]);
  } finally {
    await scheduler.stop();
    sender.close();
  }
});

test('a run of the audit archive goes to the archive job queue, whose function alone may write the archive', async () => {
  const sender = jobQueueSender(fauxqs.endpoint, queues);
  try {
    await sender.send({ schedule: 'audit-archive', time: '2026-12-01T00:30:00Z' });
    await sender.send({ schedule: 'invitation-audit', time: '2026-12-02T00:00:00Z' });
    expect(await receiveBodies(queues.archiveJobs.url)).toEqual([
      { schedule: 'audit-archive', time: '2026-12-01T00:30:00Z' },
    ]);
    expect(await receiveBodies(queues.jobs.url)).toEqual([
      { schedule: 'invitation-audit', time: '2026-12-02T00:00:00Z' },
    ]);
  } finally {
    sender.close();
  }
});
