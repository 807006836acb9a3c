import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedStack } from '../../local/stack/stack';
import { stackFiles } from '../../local/stack/paths';
import { BATCH_CONCURRENCY } from '../../lambdas/domain/batch';
import { type PipelineResult, runPipeline } from '../batch/pipeline-run';
import { adminClient } from '../shared/admin-client';

/** Rows of each batch: the class of 10,000 the issue names. */
export const MAIL_ROWS = 10_000;
/** Every message of the delivered batch must be in the catcher within this long after the batch completed. */
const ARRIVAL_LIMIT_MS = 30 * 60_000;
const POLL_MS = 500;

const log = (message: string) => console.error(`bench/mail: ${message}`);

export interface MailMeasurements {
  /** The same class template (with an Email column) without, then with `deliver`. */
  plain: PipelineResult;
  delivered: PipelineResult;
  /** Seconds from the delivered batch's `POST` until the catcher held its first and its last message. */
  firstMailMs: number;
  lastMailMs: number;
  messages: number;
}

/** Messages in the catcher: one `.eml` file apiece under the stack's mail folder. */
const caught = (stack: EmbeddedStack) =>
  readdirSync(stackFiles(stack.home).mail).filter((name) => name.endsWith('.eml')).length;

/**
 * The class template of MAIL_ROWS rows with an `Email` column through the pipeline twice, without and with
 * `deliver`, then the time until every message is in the embedded stack's mail catcher (counted from its folder).
 */
export async function measureMail(stack: EmbeddedStack): Promise<MailMeasurements> {
  const workdir = join(stack.home, 'bench-files');
  mkdirSync(workdir, { recursive: true });
  const client = adminClient(stack);
  const plan = { rows: MAIL_ROWS, batchConcurrency: BATCH_CONCURRENCY.default };
  log(`batch of ${MAIL_ROWS} rows with an Email column, without --deliver…`);
  const plain = await runPipeline(client, { ...plan, email: { deliver: false } }, workdir);
  if (caught(stack) !== 0) throw new Error('mail arrived for a batch without deliver');
  log(`${plain.rowsPerSecond.toFixed(0)} rows/s; the same with --deliver…`);
  const startedAt = performance.now();
  let firstMailMs: number | undefined;
  const watch = setInterval(() => {
    if (firstMailMs === undefined && caught(stack) > 0) firstMailMs = performance.now() - startedAt;
  }, POLL_MS);
  try {
    const delivered = await runPipeline(client, { ...plan, email: { deliver: true } }, workdir);
    log(`${delivered.rowsPerSecond.toFixed(0)} rows/s; waiting for ${MAIL_ROWS} messages in the mail catcher…`);
    const deadline = performance.now() + ARRIVAL_LIMIT_MS;
    for (let messages = caught(stack); messages < MAIL_ROWS; messages = caught(stack)) {
      if (performance.now() > deadline) throw new Error(`${messages} of ${MAIL_ROWS} messages arrived in time`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const lastMailMs = performance.now() - startedAt;
    const messages = caught(stack);
    if (messages !== MAIL_ROWS) throw new Error(`${messages} messages for ${MAIL_ROWS} rows`);
    return { plain, delivered, firstMailMs: firstMailMs ?? lastMailMs, lastMailMs, messages };
  } finally {
    clearInterval(watch);
  }
}
