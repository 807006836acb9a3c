import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import type { BenchLabel } from './bench-stack';

/** One benchmark's own part of the shared results file. */
export interface ResultsSection {
  /** e.g. `bench/api`: names the markers around the section. */
  label: BenchLabel;
  /** The npm command that writes it, e.g. `npm run bench`. */
  command: string;
  /** The `##` heading it goes under the first time. */
  heading: string;
}

/** Formatted as the repository's Prettier settings would, so `prettier --check` passes after a run. */
export async function formatMarkdown(text: string, file: string): Promise<string> {
  return format(text, { ...(await resolveConfig(file)), filepath: file });
}

/**
 * Replaces this benchmark's results in `file` (other benchmarks share it), or appends them under their own
 * heading the first time. Everything outside the markers is left as it is.
 */
export async function writeResults(file: string, { label, command, heading }: ResultsSection, markdown: string) {
  const begin = `<!-- ${label} results: written by \`${command}\`, replaced on every run -->`;
  const end = `<!-- end of ${label} results -->`;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const section = `${begin}\n\n${markdown.trim()}\n\n${end}`;
  const from = existing.indexOf(begin);
  const to = existing.indexOf(end);
  const updated =
    from >= 0 && to > from
      ? `${existing.slice(0, from)}${section}${existing.slice(to + end.length)}`
      : `${existing.trimEnd()}\n\n## ${heading}\n\n${section}\n`;
  writeFileSync(file, await formatMarkdown(updated, file));
}
