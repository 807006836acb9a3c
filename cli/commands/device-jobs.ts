import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { BATCH_CONCURRENCY, type DeviceOperationsQuery, deviceOperationsQuery } from '../../lambdas/contract/schemas';
import { INLINE_CSV_MAX_BYTES } from '../../lambdas/contract/routes';
import type { JobAnswer } from '../../lambdas/contract/views';
import { CliError } from '../errors';
import { booleanOptions, concurrencyOption, timeoutOption, wholeNumberInOption } from '../flags';
import { completeJob } from '../job-runs';
import { destinationOf, inputFile, outputFile } from '../local-files';
import { byteSize } from '../output';
import type { OpenSession } from '../session';

const { min, max } = BATCH_CONCURRENCY;

interface ExportInfoOptions {
  outputFile: string;
  timeout: number;
}

interface BatchOperationOptions {
  csvFile: string;
  operation?: DeviceOperationsQuery['operation'];
  outputFile?: string;
  concurrency?: number;
  hasHeader?: boolean;
  timeout: number;
}

interface BatchRevokeAllOptions {
  confirm?: boolean;
  outputFile?: string;
  concurrency?: number;
  reason?: string;
  timeout: number;
}

/**
 * `invitations devices export-info | batch-operation | batch-revoke-all` (docs/SPEC.md §2.3, §2.4, §3.5): the seeds'
 * registry-wide device work, each a job the CLI waits for.
 */
export function addDeviceJobCommands(devices: Command, open: OpenSession): void {
  devices
    .command('export-info')
    .description('Export every device to a CSV (Device ID,Token,Invitation Name,…), waiting for the export job')
    .option('--output-file <file>', 'write the CSV here', 'device_info.csv')
    .addOption(
      wholeNumberInOption(
        '--concurrency <count>',
        `accepted for the seeds' scripts (${min}-${max}); the registry decides how an export runs`,
        BATCH_CONCURRENCY,
      ),
    )
    .addOption(timeoutOption('the export'))
    .action(async (flags: ExportInfoOptions, command: Command) => {
      const session = open(command);
      const destination = { file: await outputFile('--output-file', flags.outputFile) };
      const started = await session.client.admin<JobAnswer>({ method: 'POST', path: '/exports/devices', body: {} });
      await completeJob(session, started, flags.timeout, destination);
    });

  const batchOperation = devices
    .command('batch-operation')
    .description(
      'Revoke, validate or describe the devices a CSV lists (Device ID,Token,Name,Operation), wait for the job ' +
        'and write its results CSV (exit status 1 when any row failed)',
    )
    .requiredOption('--csv-file <file>', `CSV of device operations, at most ${byteSize(INLINE_CSV_MAX_BYTES)}`)
    .addOption(
      new Option('--operation <operation>', 'the operation of rows that name none').choices(
        deviceOperationsQuery.shape.operation.def.innerType.options,
      ),
    )
    .option('--output-file <file>', 'write the results CSV here (default: standard output)');
  const batchOperationOptions = [
    concurrencyOption('rows processed'),
    ...booleanOptions('has-header', 'the first line is a header, default yes'),
    timeoutOption('the job'),
  ];
  for (const option of batchOperationOptions) batchOperation.addOption(option);
  batchOperation.action(async (flags: BatchOperationOptions, command: Command) => {
    const session = open(command);
    const file = await inputFile('--csv-file', flags.csvFile);
    if (file.size > INLINE_CSV_MAX_BYTES) {
      throw new CliError(
        `--csv-file: ${file.path} holds ${byteSize(file.size)}; the registry takes device operations files of at ` +
          `most ${byteSize(INLINE_CSV_MAX_BYTES)}: split it`,
        'usage',
      );
    }
    const destination = await destinationOf(session, flags.outputFile);
    const started = await session.client.admin<JobAnswer>({
      method: 'POST',
      path: '/devices/operations',
      query: {
        operation: flags.operation,
        hasHeader: flags.hasHeader?.toString(),
        concurrency: flags.concurrency?.toString(),
      },
      csv: await readFile(file.path),
    });
    await completeJob(session, started, flags.timeout, destination);
  });

  devices
    .command('batch-revoke-all')
    .description(
      'Emergency: revoke every device of every invitation and suspend every active invitation (needs --confirm)',
    )
    .option('--confirm', 'really revoke every device and suspend every invitation')
    .option('--output-file <file>', 'also write the results CSV here')
    .addOption(concurrencyOption('invitations worked on'))
    .option('--reason <reason>', 'why (kept with every revocation)')
    .addOption(timeoutOption('the job'))
    .action(async (flags: BatchRevokeAllOptions, command: Command) => {
      if (!flags.confirm) {
        throw new CliError(
          'batch-revoke-all revokes every device of every invitation and suspends every active invitation; ' +
            'rerun with --confirm',
          'confirmation_required',
        );
      }
      const session = open(command);
      const destination = flags.outputFile ? { file: await outputFile('--output-file', flags.outputFile) } : undefined;
      const started = await session.client.admin<JobAnswer>({
        method: 'POST',
        path: '/devices/revoke-all',
        body: { confirm: true, reason: flags.reason, concurrency: flags.concurrency },
      });
      await completeJob(session, started, flags.timeout, destination);
    });
}
