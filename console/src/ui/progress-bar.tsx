import { formatNumber } from './format';

/**
 * A progress bar (role progressbar, with aria-valuenow) and its figures in words beside it; without a total it shows
 * the work going on, with no value.
 */
export function ProgressBar({ label, done, total }: { label: string; done: number; total?: number }) {
  const share = total ? Math.min(1, done / total) : undefined;
  const text = total === undefined ? `${formatNumber(done)} so far` : `${formatNumber(done)} of ${formatNumber(total)}`;
  return (
    <div class="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={total === undefined ? undefined : done}
        aria-valuetext={text}
        class={share === undefined ? 'progress-track progress-unknown' : 'progress-track'}
      >
        <div class="progress-fill" style={share === undefined ? undefined : { width: `${share * 100}%` }} />
      </div>
      <span class="progress-text">
        {text}
        {share !== undefined && ` (${Math.floor(share * 100)} %)`}
      </span>
    </div>
  );
}
