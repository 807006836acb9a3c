import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { startFauxqsEmulator } from '../../local/fauxqs';
import { freePort } from '../../local/ports';

/**
 * Runs an in-memory DynamoDB Local and fauxqs for the integration run, in a process of its own: fauxqs
 * is ESM-only, which jest's global setup cannot load. Prints `{"dynamodb","fauxqs"}` (endpoints) on one
 * line once both answer, and stops them when its stdin closes, so they never outlive the test run.
 */
async function main(): Promise<void> {
  const [dynamodb, fauxqs] = await Promise.all([
    freePort().then((port) => startDynamoDbLocal({ port })),
    startFauxqsEmulator({ port: 0 }),
  ]);
  const stop = () => Promise.all([dynamodb.stop(), fauxqs.stop()]).then(() => process.exit(0));
  process.stdin.once('close', stop).resume();
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify({ dynamodb: dynamodb.endpoint, fauxqs: fauxqs.endpoint })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
