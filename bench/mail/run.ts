import { withEmbeddedStack } from '../shared/bench-stack';
import { describeMachine } from '../shared/machine';
import { RESULTS_FILE } from '../shared/paths';
import { formatMarkdown, writeResults } from '../shared/results-file';
import { measureMail } from './measure-mail';
import { MAIL_RESULTS, renderMailResults } from './report';

/** `npm run bench:mail`: a wrong result or a missing message throws before the results file is written. */
const machine = describeMachine();
const measured = await withEmbeddedStack(MAIL_RESULTS.label, measureMail);
const markdown = renderMailResults({ machine, ...measured });
console.log(await formatMarkdown(markdown, RESULTS_FILE));
await writeResults(RESULTS_FILE, MAIL_RESULTS, markdown);
console.error(`bench/mail: results written to ${RESULTS_FILE}`);
