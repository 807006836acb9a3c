import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const BEGIN = '<!-- bench/api results: written by `npm run bench`, replaced on every run -->';
const END = '<!-- end of bench/api results -->';

/** Formatted as the repository's Prettier settings would, so `prettier --check` passes after a run. */
export async function formatMarkdown(text: string, file: string): Promise<string> {
  return format(text, { ...(await resolveConfig(file)), filepath: file });
}

/**
 * Replaces this benchmark's results in `file` (other benchmarks share it), or appends them under their own
 * heading the first time. Everything outside the markers is left as it is.
 */
export async function writeResults(file: string, markdown: string): Promise<void> {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const section = `${BEGIN}\n\n${markdown.trim()}\n\n${END}`;
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  const updated =
    begin >= 0 && end > begin
      ? `${existing.slice(0, begin)}${section}${existing.slice(end + END.length)}`
      : `${existing.trimEnd()}\n\n## API latency and cold start (\`bench/api\`)\n\n${section}\n`;
  writeFileSync(file, await formatMarkdown(updated, file));
}
