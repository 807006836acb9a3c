import { useEffect, useState } from 'preact/hooks';
import type { BatchView } from '../../../../lambdas/contract/views';
import { downloads, getBatch } from '../../api/registry';
import { usePoll } from '../../hooks/use-poll';
import { type Sample, addSample, rowsPerSecond } from '../../model/rate';
import { ErrorAlert } from '../../ui/error-alert';
import { formatNumber, yesNo } from '../../ui/format';
import { KeyValues } from '../../ui/key-values';
import { Page } from '../../ui/page';
import { ProgressBar } from '../../ui/progress-bar';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';
import { FailedRows } from './failed-rows';

const isFinal = (batch: BatchView) => batch.state === 'completed' || batch.state === 'failed';

/**
 * One batch, live: read about every second until it is completed or failed, with its progress, counts and rate, then
 * its failed rows and the results download.
 */
export function BatchPage({ id }: { id: string }) {
  const polled = usePoll(
    () => getBatch(id),
    ({ batch }) => isFinal(batch),
    id,
  );
  const batch = polled.data?.batch;
  const rate = useRate(batch, polled.at);
  return (
    <Page title={`Batch ${id}`}>
      <ErrorAlert error={polled.error} what="The batch could not be read (the console keeps trying)." />
      {batch && (
        <>
          <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            <LiveState batch={batch} />
            <ProgressBar label="Rows done" done={batch.succeeded + batch.failed} total={batch.total} />
            <KeyValues
              entries={[
                { term: 'Succeeded', value: formatNumber(batch.succeeded) },
                { term: 'Failed', value: formatNumber(batch.failed) },
                !isFinal(batch) && {
                  term: 'Rows per second',
                  value: rate === undefined ? 'measuring…' : rate.toFixed(1),
                },
                {
                  term: 'Created',
                  value: (
                    <>
                      <Time value={batch.createdAt} /> by {batch.createdBy}
                    </>
                  ),
                },
                batch.completedAt !== undefined && { term: 'Completed', value: <Time value={batch.completedAt} /> },
                { term: 'Source', value: batch.source },
                { term: 'Concurrency', value: batch.options.concurrency },
                { term: 'Encoded invitations in the results', value: yesNo(batch.options.includeEncoded) },
                { term: 'Header line', value: yesNo(batch.options.hasHeader) },
                batch.options.parentId !== undefined && { term: 'Parent', value: batch.options.parentId },
              ]}
            />
            {batch.error && (
              <p class="failure">
                The file was rejected: <strong>{batch.error.code}</strong>: {batch.error.message}
              </p>
            )}
            {batch.warnings.length > 0 && (
              <>
                <h3>Warnings</h3>
                <ul>
                  {batch.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {batch.resultsReady && (
            <section aria-labelledby="results-heading">
              <h2 id="results-heading">Results</h2>
              <p>
                <a href={downloads.batchResults(id)} download>
                  Download results
                </a>{' '}
                (CSV{batch.options.includeEncoded ? ', with every secret the batch created' : ''})
              </p>
              {batch.failed > 0 && <FailedRows id={id} />}
            </section>
          )}
        </>
      )}
    </Page>
  );
}

/**
 * The batch's state and progress in a polite live region, in steps of ten per cent, so a screen reader hears it move
 * without being told every second.
 */
function LiveState({ batch }: { batch: BatchView }) {
  const step = Math.floor(batch.progress * 10) * 10;
  return (
    <p role="status" class="live-state">
      State: <Status value={batch.state} />
      {batch.state === 'processing' && `, at least ${step} % done`}
      {batch.state === 'completed' &&
        `: ${formatNumber(batch.succeeded)} succeeded, ${formatNumber(batch.failed)} failed`}
    </p>
  );
}

/** Rows per second from the successive readings of the batch. */
function useRate(batch: BatchView | undefined, at: number | undefined): number | undefined {
  const [samples, setSamples] = useState<Sample[]>([]);
  const done = batch ? batch.succeeded + batch.failed : undefined;
  useEffect(() => {
    if (done === undefined || at === undefined) return;
    setSamples((previous) => addSample(previous, { at, done }));
  }, [done, at]);
  return rowsPerSecond(samples);
}
