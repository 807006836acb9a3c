import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

// Only what a bar chart with a legend and tooltips needs, so the rest of Chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Dark enough for 4.5:1 against the page, and told apart by the legend's words as well. */
const REGISTERED_COLOUR = '#1d4f91';
const REFUSAL_COLOURS = ['#a4262c', '#8a4b00', '#5c2d91', '#2d6a2d', '#4d4d4d'];

export interface ActivitySeries {
  days: string[];
  registrations: number[];
  refusals: [reason: string, counts: number[]][];
}

/**
 * Registrations and refusals (stacked by reason) per day as a bar chart. The chart is a picture for the eyes; the
 * table beside it carries the same figures for everyone.
 */
export function ActivityChart({ series, label }: { series: ActivitySeries; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: series.days.map((day) => day.slice(5)),
        datasets: [
          {
            label: 'Registrations',
            data: series.registrations,
            backgroundColor: REGISTERED_COLOUR,
            stack: 'registered',
          },
          ...series.refusals.map(([reason, counts], index) => ({
            label: `Refused: ${reason}`,
            data: counts,
            backgroundColor: REFUSAL_COLOURS[index % REFUSAL_COLOURS.length],
            stack: 'refused',
          })),
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [series]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
