import type { ResultsSection } from '../shared/results-file';
import type { Machine } from '../shared/machine';
import { runHeader, table, numeric } from '../shared/markdown';
import type { MailMeasurements } from './measure-mail';

export const MAIL_RESULTS: ResultsSection = {
  label: 'bench/mail',
  command: 'npm run bench:mail',
  heading: 'Batches with e-mail delivery (`bench/mail`)',
};

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The run's figures as Markdown: the delivered batch beside the same batch without delivery. */
export function renderMailResults(results: MailMeasurements & { machine: Machine }): string {
  const { plain, delivered } = results;
  const row = (label: string, run: typeof plain) => [
    label,
    run.plan.rows.toLocaleString('en-US'),
    seconds(run.rowsDoneMs),
    seconds(run.completedMs),
    run.rowsPerSecond.toFixed(0),
  ];
  const share = ((100 * delivered.rowsPerSecond) / plain.rowsPerSecond).toFixed(0);
  return `${runHeader(results.machine, MAIL_RESULTS.command)}

#### Rows with and without \`--deliver\`, and the mail

The class template with an \`Email\` column (one address a row) under a parent invitation, through the pipeline as
\`bench/batch\` sends it, first without \`deliver\`, then with it, on one embedded stack; seconds from the \`POST\`.
Then the stack's mail catcher (maildev, over SMTP) is watched until it holds a message for every row: seconds from
the delivered batch's \`POST\` until the first and the last message arrived. Aim: the delivered batch completes its
rows as fast as the plain one (the e-mail goes through the audit stream and the mail queue, never the batch's path).

${table(
  [{ title: 'batch' }, ...['rows', 'rows done s', 'completed s', 'rows/s'].map(numeric)],
  [row('without --deliver', plain), row('with --deliver', delivered)],
)}

- With \`--deliver\` the rows completed at ${share} % of the rate without it.
- ${results.messages.toLocaleString('en-US')} messages reached the catcher: the first ${seconds(results.firstMailMs)} s and the last ${seconds(results.lastMailMs)} s after the \`POST\` (the batch completed after ${seconds(delivered.completedMs)} s).`;
}
