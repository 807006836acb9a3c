import { ESLint } from 'eslint';
import { text } from 'node:stream/consumers';

/*
 * Lints the snippets given on stdin (`[{ code, filePath }]`) with the project's own eslint.config.js, as
 * `npm run check` does, and prints each snippet's messages. Jest cannot load that ES module config itself.
 */
const snippets = JSON.parse(await text(process.stdin));
const eslint = new ESLint();
const results = await Promise.all(
  snippets.map(async ({ code, filePath }) => (await eslint.lintText(code, { filePath }))[0]),
);
process.stdout.write(
  JSON.stringify(
    results.map(({ messages }) => messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }))),
  ),
);
