import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { config } from '../config';
import type { RegistryError } from '../domain/errors';
import { METRICS, METRICS_NAMESPACE, type JobOutcome, type MetricName } from '../metrics';
import type { JobEnd } from '../usecases/jobs/run-job';
import type { RowCounts } from '../domain/batch';

/**
 * Leaves out the flush of an invocation that recorded nothing in the buffer: Powertools would warn about
 * it every time, even with metrics disabled, and most invocations record only single metrics.
 */
class RegistryMetrics extends Metrics {
  override publishStoredMetrics(): this {
    return this.hasStoredMetrics() ? super.publishStoredMetrics() : this;
  }
}

/** The process's metrics (CloudWatch EMF); `lambdaHandler` flushes what an invocation buffered when it ends. */
export const metrics = new RegistryMetrics({ namespace: METRICS_NAMESPACE, serviceName: config.serviceName() });

type DimensionName<N extends MetricName> = (typeof METRICS)[N]['dimensions'][number];

/** The values of a metric's own dimensions: all of those METRICS lists for it, and no other. */
export type MetricDimensions<N extends MetricName> = { readonly [D in DimensionName<N>]: string } & {
  readonly [D in Exclude<DimensionName<MetricName>, DimensionName<N>>]?: never;
};

/**
 * Counts `value` of `name` with `service` and exactly the metric's own dimensions: CloudWatch takes another
 * set for another metric, and the alarms query these. A metric with no dimensions of its own is buffered
 * and flushed once per invocation; any other goes out at once, as a single metric with its own values.
 */
export function countMetric<N extends MetricName>(name: N, dimensions: MetricDimensions<N>, value = 1): void {
  const names: readonly DimensionName<N>[] = METRICS[name].dimensions;
  if (names.length === 0) {
    metrics.addMetric(name, MetricUnit.Count, value);
    return;
  }
  const single = metrics.singleMetric();
  for (const dimension of names) single.addDimension(dimension, dimensions[dimension]);
  single.addMetric(name, MetricUnit.Count, value);
}

/** A refused registration, by the code of the error the caller got: the registry's own codes, never request data. */
export const countRefusedRegistration = (error: RegistryError): void =>
  countMetric('RegistrationsRefused', { reason: error.code });

/**
 * The rows a chunk recorded, told only by the call that recorded it (none for a redelivered chunk), so no
 * row counts twice; an invocation that dies between recording and flushing leaves its rows uncounted.
 */
export function countBatchRows(recorded: RowCounts | undefined): void {
  if (!recorded) return;
  countMetric('BatchRowsSucceeded', {}, recorded.succeeded);
  countMetric('BatchRowsFailed', {}, recorded.failed);
}

const JOB_OUTCOME: Record<JobEnd['state'], JobOutcome> = { completed: 'succeeded', failed: 'failed' };

/** A job run that ended, counted by the call that ended it (none when the job had ended already). */
export function countJobRun(end: JobEnd | undefined): void {
  if (end) countMetric('JobRuns', { kind: end.kind, outcome: JOB_OUTCOME[end.state] });
}
