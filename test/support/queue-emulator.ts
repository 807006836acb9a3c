import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqsEmulator } from '../../local/emulators/fauxqs';
import { bootstrapQueues } from '../../local/emulators/queue-resources';

/** fauxqs on a free port holding the registry's queues, and an SQS client that talks to it. */
export async function startQueueEmulator() {
  const fauxqs = await startFauxqsEmulator({ port: 0 });
  const queues = await bootstrapQueues(fauxqs.endpoint);
  const sqs = new SQSClient({
    endpoint: fauxqs.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { fauxqs, queues, sqs };
}
