import { Readable } from 'node:stream';
import type * as z from 'zod/mini';
import type { startBatchBody } from '../lambdas/contract/schemas';
import type { BatchAnswer, BatchResultsLink, BatchView, StartedBatchUpload } from '../lambdas/contract/views';
import { CliError } from './errors';
import type { RegistryClient } from './http';
import { type WaitOptions, pollUntil } from './poll';
import { type LocalFile, download, putFile } from './presigned';
import { type Destination, save } from './save';

/** Batch work shared by `invitations batch-create` and `batches …` (docs/SPEC.md §1.4, §4.2). */

export type StartBatchBody = z.input<typeof startBatchBody>;

/** The batch options as flags give them (`--s3-config` is `s3ConfigPath`). */
export interface BatchFlags {
  includeEncoded?: boolean;
  concurrency?: number;
  hasHeader?: boolean;
  s3Config?: string;
  parentToken?: string;
  parentId?: string;
  deliver?: boolean;
}

/** The options of `POST /batches`; absent flags stay absent so the server's defaults apply. */
export const batchOptionsBody = (flags: BatchFlags): StartBatchBody => ({
  includeEncoded: flags.includeEncoded,
  concurrency: flags.concurrency,
  hasHeader: flags.hasHeader,
  deliver: flags.deliver,
  s3ConfigPath: flags.s3Config,
  // In the body, never in a URL: it is a secret.
  parentToken: flags.parentToken,
  parentId: flags.parentId,
});

export const batchPath = (id: string, ...segments: string[]) =>
  ['/batches', ...[id, ...segments].map(encodeURIComponent)].join('/');

export const getBatch = (client: RegistryClient, id: string) =>
  client.admin<BatchAnswer>({ method: 'GET', path: batchPath(id) });

/** `POST /batches` with the options: the batch waits for its file at the presigned `uploadUrl`. */
export const startBatch = (client: RegistryClient, flags: BatchFlags) =>
  client.admin<StartedBatchUpload>({ method: 'POST', path: '/batches', body: batchOptionsBody(flags) });

/** Uploads the CSV to the batch's presigned URL; S3 storing it is what sets the batch going. */
export async function uploadBatchFile(
  started: StartedBatchUpload,
  file: LocalFile,
  onSent?: (bytes: number) => void,
): Promise<void> {
  try {
    await putFile(new URL(started.uploadUrl), file, onSent);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(`batch ${started.batchId} got no file, no invitation was created: ${error.message}`, error.code);
  }
}

/** Done: the whole file was rejected, or every row is done and the results can be fetched. */
export const isSettled = (batch: BatchView) =>
  batch.state === 'failed' || (batch.state === 'completed' && batch.resultsReady);

export const rowsDone = (batch: BatchView) => batch.succeeded + batch.failed;

/** Polls `GET /batches/{id}` until the batch is settled, or gives up after `timeoutMs`. */
export const waitForBatch = (client: RegistryClient, id: string, options: WaitOptions<BatchView>): Promise<BatchView> =>
  pollUntil(async () => (await getBatch(client, id)).batch, {
    ...options,
    isDone: isSettled,
    onTimeout: (last) => {
      const where = last ? ` still ${last.state} (${rowsDone(last)}/${last.total ?? '?'} rows)` : '';
      return new CliError(
        `gave up waiting for batch ${id} after ${Math.round(options.timeoutMs / 1000)} s; it is${where} and goes on ` +
          `without the CLI: follow it with \`prism-registry batches status ${id}\`, then fetch its results with ` +
          `\`prism-registry batches results ${id} --output-file FILE\``,
        'wait_timeout',
      );
    },
  });

/**
 * `GET /batches/{id}/results` answers the CSV itself when it is small, else a short-lived link to download it
 * from; either way the file is written exactly as received. Returns the bytes written.
 */
export async function saveResults(client: RegistryClient, id: string, destination: Destination): Promise<number> {
  const what = `the results of batch ${id}`;
  const response = await client.adminResponse({
    method: 'GET',
    path: batchPath(id, 'results'),
    headers: { accept: 'text/csv, application/json' },
  });
  const type = response.headers.get('content-type') ?? '';
  if (/^text\/csv\b/i.test(type)) {
    const body = response.body ? Readable.fromWeb(response.body) : Readable.from([]);
    return save(body, destination, what);
  }
  if (/^application\/json\b/i.test(type)) {
    const link = (await response.json()) as BatchResultsLink;
    return save(await download(new URL(link.downloadUrl), what), destination, what, link.bytes);
  }
  throw new CliError(`${what} came as ${type || 'no content type'}, neither text/csv nor JSON`, 'bad_answer');
}
