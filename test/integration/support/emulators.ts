import { dirname, join } from 'node:path';
import { startDynamoDbLocal } from '../../../local/emulators/dynamodb-local';
import { startMailCatcher } from '../../../local/emulators/mail-catcher';
import type { EmulatorEndpoints } from '../../../local/stack/environment';
import { startLocalEventBus } from '../../../local/events/event-bus';
import { startFauxqsEmulator } from '../../../local/emulators/fauxqs';
import { freePort } from '../../../local/stack/ports';

/**
 * Runs an in-memory DynamoDB Local and fauxqs, the local event bus logging to the file named by the first
 * argument, and a mail catcher keeping its mail beside it, for the integration run, in a process of its own:
 * fauxqs and maildev are ESM-only, which jest's global setup cannot load. Prints the endpoints (`EmulatorEndpoints`) on one line once all answer, and stops them
 * when its stdin closes, so they never outlive the test run.
 */
async function main(): Promise<void> {
  const eventsFile = process.argv[2];
  if (!eventsFile) throw new Error('Usage: local-emulators.ts <events file>');
  const [dynamodb, fauxqs, eventBus, mailCatcher] = await Promise.all([
    freePort().then((port) => startDynamoDbLocal({ port })),
    startFauxqsEmulator({ port: 0 }),
    startLocalEventBus({ port: 0, file: eventsFile }),
    startMailCatcher({ smtpPort: 0, webPort: 0, mailDirectory: join(dirname(eventsFile), 'mail') }),
  ]);
  const stop = () =>
    Promise.all([dynamodb.stop(), fauxqs.stop(), eventBus.close(), mailCatcher.stop()]).then(() => process.exit(0));
  process.stdin.once('close', stop).resume();
  process.once('SIGTERM', stop);
  const endpoints: EmulatorEndpoints = {
    dynamodb: dynamodb.endpoint,
    fauxqs: fauxqs.endpoint,
    events: eventBus.endpoint,
    smtp: mailCatcher.smtpUrl,
    mailWeb: mailCatcher.webUrl,
  };
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
