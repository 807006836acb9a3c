import type { JobAnswer, JobView } from '../lambdas/contract/views';
import { CliError } from './errors';
import { jobName, saveJobResult, waitForJob } from './jobs';
import { withProgress } from './progress';
import { renderJobOutcome, renderJobProgress } from './render-jobs';
import { type Destination, describeDestination } from './save';
import type { Session } from './session';

/**
 * Waits for a job the command started (a progress line on a terminal) and returns its answer once it completed.
 * A failed job is an error carrying its reason, printed first under `--json` as `failedAs(answer)`.
 */
export async function awaitJob(
  session: Session,
  started: JobView,
  timeoutSeconds: number,
  failedAs: (answer: JobAnswer) => unknown = (answer) => answer,
): Promise<JobAnswer> {
  const { client, io } = session;
  const { id } = started;
  io.stderr(`Job ${id} (${jobName(started)}) started; waiting for it.\n`);
  const answer = await withProgress(io, (progress) =>
    waitForJob(client, id, {
      clock: io.clock,
      timeoutMs: timeoutSeconds * 1000,
      onUpdate: ({ job }) => progress.show(renderJobProgress(job)),
    }),
  );
  const { job } = answer;
  if (job.state === 'failed') {
    if (session.json) session.show(failedAs(answer), () => '', 1);
    const reason = job.error ?? { code: 'job_failed', message: 'no reason given' };
    throw new CliError(`job ${id} (${jobName(job)}) failed: ${reason.message}`, reason.code);
  }
  return answer;
}

/**
 * The end of every command that starts a job and waits for it: wait, write the result file to `destination`
 * when one is given, print the outcome. The exit status is 1 when any item failed (docs/SPEC.md §4.6).
 */
export async function completeJob(
  session: Session,
  started: JobAnswer,
  timeoutSeconds: number,
  destination?: Destination,
): Promise<void> {
  const answer = await awaitJob(session, started.job, timeoutSeconds);
  const { job } = answer;
  if (destination) await saveJobResult(answer, destination);
  session.show(
    answer,
    () => renderJobOutcome(job, destination && describeDestination(destination)),
    job.progress.failed > 0 ? 1 : 0,
    destination && 'stdout' in destination ? 'stderr' : 'stdout',
  );
}
