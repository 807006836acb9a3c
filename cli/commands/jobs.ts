import { Argument, type Command, Option } from 'commander';
import { type ScheduledJobName, listJobsQuery, scheduledJobName } from '../../lambdas/contract/schemas';
import type { JobAnswer } from '../../lambdas/contract/views';
import { byteSize } from '../output';
import { timeoutOption } from '../flags';
import { completeJob } from '../job-runs';
import { getJob, saveJobResult } from '../jobs';
import { destinationOf } from '../local-files';
import { renderJob, renderJobPage, renderJobStarted } from '../render-jobs';
import { addListCommand } from './list-command';
import type { OpenSession } from '../session';

const JOB = '<id>';
const JOB_HELP = 'job id';

/** `jobs run | status | list | results` (docs/SPEC.md §4.4, §4.6). */
export function registerJobCommands(program: Command, open: OpenSession): void {
  const jobs = program.command('jobs').description('Run the scheduled jobs now and follow every job');

  jobs
    .command('run')
    .description('Run a scheduled job now (each is safe to run twice) and print its id')
    .addArgument(new Argument('<job>', 'the scheduled job').choices(scheduledJobName.options))
    .option('--wait', 'wait for it and print its summary (exit status 1 when it failed)')
    .addOption(timeoutOption('the job'))
    .action(async (name: ScheduledJobName, options: { wait?: boolean; timeout: number }, command: Command) => {
      const session = open(command);
      const started = await session.client.admin<JobAnswer>({
        method: 'POST',
        path: `/schedules/${name}/runs`,
        body: {},
      });
      if (options.wait) await completeJob(session, started, options.timeout);
      else session.show(started, ({ job }) => renderJobStarted(job));
    });

  jobs
    .command('status')
    .description('Kind, state, progress, summary, error and result file of a job')
    .argument(JOB, JOB_HELP)
    .action(async (id: string, _options: object, command: Command) => {
      const session = open(command);
      session.show(await getJob(session.client, id), ({ job }) => renderJob(job));
    });

  addListCommand(jobs, open, {
    key: 'jobs',
    path: '/jobs',
    description: 'List jobs, newest first',
    filter: new Option('--kind <kind>', 'only this kind').choices(listJobsQuery.shape.kind.def.innerType.options),
    render: renderJobPage,
  });

  jobs
    .command('results')
    .description('Write the result file of a completed job (an export, device operations, revoke-all, an audit)')
    .argument(JOB, JOB_HELP)
    .option('--output-file <file>', 'write it here (default: standard output)')
    .action(async (id: string, options: { outputFile?: string }, command: Command) => {
      const session = open(command);
      const destination = await destinationOf(session, options.outputFile);
      const bytes = await saveJobResult(await getJob(session.client, id), destination);
      if ('file' in destination) {
        session.show(
          { jobId: id, outputFile: destination.file, bytes },
          () => `Wrote the result file of job ${id} to ${destination.file} (${byteSize(bytes)}).`,
        );
      }
    });
}
