import { type Command, Option } from 'commander';
import { invitationExportBody } from '../../lambdas/contract/schemas';
import type { JobAnswer } from '../../lambdas/contract/views';
import { booleanOptions, timeoutOption } from '../flags';
import { completeJob } from '../job-runs';
import { outputFile } from '../local-files';
import type { OpenSession } from '../session';

const EXPORT_STATUSES = invitationExportBody.shape.status.def.innerType.options;

interface BatchExportOptions {
  outputFile: string;
  includeEncoded?: boolean;
  status?: (typeof EXPORT_STATUSES)[number];
  timeout: number;
}

/** `invitations batch-export` (docs/SPEC.md §2.2, §4.6): the seeds' audit and backup export, to a file by default. */
export function addBatchExportCommand(invitations: Command, open: OpenSession): void {
  const command = invitations
    .command('batch-export')
    .description('Export every invitation to a CSV (the batch-create results layout), waiting for the export job')
    .option('--output-file <file>', 'write the CSV here', 'invitations.csv');
  const options = [
    ...booleanOptions('include-encoded', 'put each token and encoded invitation in the file (secrets), default no'),
    new Option('--status <status>', 'only invitations in this status').choices(EXPORT_STATUSES),
    timeoutOption('the export'),
  ];
  for (const option of options) command.addOption(option);
  command.action(async (flags: BatchExportOptions, command: Command) => {
    const session = open(command);
    const destination = { file: await outputFile('--output-file', flags.outputFile) };
    const started = await session.client.admin<JobAnswer>({
      method: 'POST',
      path: '/exports/invitations',
      body: { includeEncoded: flags.includeEncoded, status: flags.status },
    });
    await completeJob(session, started, flags.timeout, destination);
  });
}
