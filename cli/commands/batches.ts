import { type Command, Option } from 'commander';
import { listBatchesQuery } from '../../lambdas/contract/schemas';
import type { BatchAnswer } from '../../lambdas/contract/views';
import { type BatchFlags, getBatch, saveResults, startBatch, uploadBatchFile, waitForBatch } from '../batches';
import { CliError } from '../errors';
import { booleanOptions, concurrencyOption, timeoutOption } from '../flags';
import { destinationOf, inputFile } from '../local-files';
import { byteSize } from '../output';
import { withProgress } from '../progress';
import { renderBatch, renderBatchPage, renderBatchProgress, renderBatchSummary, renderUploadProgress } from '../render';
import { describeDestination } from '../save';
import type { OpenSession } from '../session';
import { addListCommand } from './list-command';

const BATCH_STATES = listBatchesQuery.shape.state.def.innerType.options;
const BATCH = '<batch>';
const BATCH_HELP = 'batch id';

interface BatchCreateOptions extends BatchFlags {
  csvFile: string;
  outputFile?: string;
  timeout: number;
}

/** `invitations batch-create` (docs/SPEC.md §4.6): the seeds' flags, then upload, wait and write the results CSV. */
export function addBatchCreateCommand(invitations: Command, open: OpenSession): void {
  const command = invitations
    .command('batch-create')
    .description(
      'Create an invitation for each row of a CSV file, wait for the batch and write its results CSV ' +
        '(exit status 1 when any row failed)',
    )
    .requiredOption('--csv-file <file>', 'CSV with a Name,Type,ValidDays,… header, one invitation per row')
    .option('--output-file <file>', 'write the results CSV here (default: standard output)');
  const options = [
    ...booleanOptions('include-encoded', 'put each encoded invitation in the results, default no'),
    concurrencyOption('rows processed'),
    new Option('--parent-token <token>', 'create them under this invitation (by token)').conflicts('parentId'),
    new Option('--parent-id <id>', 'create them under this invitation (by id)').conflicts('parentToken'),
    new Option('--s3-config <path>', 'S3 configuration path carried into every profile (s3://bucket/prefix)'),
    ...booleanOptions(
      'has-header',
      'the first line is a header, default yes (without one, columns go in the seed order)',
    ),
    new Option('--deliver', 'e-mail each invitation with an Email to that address (queued as its row completes)'),
    timeoutOption('the batch'),
  ];
  for (const option of options) command.addOption(option);
  command.action(async (flags: BatchCreateOptions, command: Command) => {
    const session = open(command);
    const file = await inputFile('--csv-file', flags.csvFile);
    const destination = await destinationOf(session, flags.outputFile);
    const { client, io } = session;
    const started = await startBatch(client, flags);
    const id = started.batchId;
    io.stderr(`Batch ${id}: uploading ${file.path} (${byteSize(file.size)}), then waiting for its results.\n`);
    const batch = await withProgress(io, async (progress) => {
      await uploadBatchFile(started, file, (sent) => progress.show(renderUploadProgress(sent, file.size)));
      return waitForBatch(client, id, {
        clock: io.clock,
        timeoutMs: flags.timeout * 1000,
        onUpdate: (update) => progress.show(renderBatchProgress(update)),
      });
    });
    const answer: BatchAnswer = { batch };
    if (batch.state === 'failed') {
      if (session.json) session.show(answer, () => '', 1);
      const reason = batch.error ?? { code: 'batch_failed', message: 'no reason given' };
      throw new CliError(`batch ${id} rejected ${file.path}: ${reason.message}`, reason.code);
    }
    await saveResults(client, id, destination);
    session.show(
      answer,
      () => renderBatchSummary(batch, describeDestination(destination)),
      batch.failed > 0 ? 1 : 0,
      'file' in destination ? 'stdout' : 'stderr',
    );
  });
}

/** `batches list | status | results` (docs/SPEC.md §4.6). */
export function registerBatchCommands(program: Command, open: OpenSession): void {
  const batches = program.command('batches').description('Follow batches and fetch their results');

  addListCommand(batches, open, {
    key: 'batches',
    path: '/batches',
    description: 'List batches, newest first',
    filter: new Option('--state <state>', 'only this state').choices(BATCH_STATES),
    render: renderBatchPage,
  });

  batches
    .command('status')
    .description('State, progress, counts, warnings and error of a batch')
    .argument(BATCH, BATCH_HELP)
    .action(async (id: string, _options: object, command: Command) => {
      const session = open(command);
      session.show(await getBatch(session.client, id), ({ batch }) => renderBatch(batch));
    });

  batches
    .command('results')
    .description('Write the results CSV of a completed batch, exactly as the registry keeps it')
    .argument(BATCH, BATCH_HELP)
    .option('--output-file <file>', 'write it here (default: standard output)')
    .action(async (id: string, options: { outputFile?: string }, command: Command) => {
      const session = open(command);
      const destination = await destinationOf(session, options.outputFile);
      const bytes = await saveResults(session.client, id, destination);
      if ('file' in destination) {
        session.show(
          { batchId: id, outputFile: destination.file, bytes },
          () => `Wrote the results of batch ${id} to ${destination.file} (${byteSize(bytes)}).`,
        );
      }
    });
}
