import type { JobAnswer } from '../lambdas/views';
import { CliError } from './errors';
import { jobName, saveJobResult, waitForJob } from './jobs';
import { withProgress } from './progress';
import { renderJobOutcome, renderJobProgress } from './render-jobs';
import { type Destination, describeDestination } from './save';
import type { Session } from './session';

/**
 * The end of every command that starts a job and waits for it: wait (a progress line on a terminal), write
 * the result file to `destination` when one is given, print the outcome. A failed job is an error carrying
 * its reason; the exit status is 1 when any item failed (SPEC §4.6).
 */
export async function completeJob(
  session: Session,
  started: JobAnswer,
  timeoutSeconds: number,
  destination?: Destination,
): Promise<void> {
  const { client, io } = session;
  const { id } = started.job;
  io.stderr(`Job ${id} (${jobName(started.job)}) started; waiting for it.\n`);
  const answer = await withProgress(io, (progress) =>
    waitForJob(client, id, {
      clock: io.clock,
      timeoutMs: timeoutSeconds * 1000,
      onUpdate: ({ job }) => progress.show(renderJobProgress(job)),
    }),
  );
  const { job } = answer;
  if (job.state === 'failed') {
    if (session.json) session.show(answer, () => '', 1);
    const reason = job.error ?? { code: 'job_failed', message: 'no reason given' };
    throw new CliError(`job ${id} (${jobName(job)}) failed: ${reason.message}`, reason.code);
  }
  if (destination) await saveJobResult(answer, destination);
  session.show(
    answer,
    () => renderJobOutcome(job, destination && describeDestination(destination)),
    job.progress.failed > 0 ? 1 : 0,
    destination && 'stdout' in destination ? 'stderr' : 'stdout',
  );
}
