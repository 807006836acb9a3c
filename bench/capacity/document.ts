import { join } from 'node:path';
import { projectRoot } from '../../local/stack/paths';

export const CAPACITY_FILE = join(projectRoot(), 'docs', 'CAPACITY.md');

const BEGIN = '<!-- capacity:begin (written by `npm run capacity`; edit bench/capacity/render.ts instead) -->';
const END = '<!-- capacity:end -->';

function bounds(document: string): [number, number] {
  const begin = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${CAPACITY_FILE} has lost its markers: ${BEGIN} … ${END}`);
  return [begin + BEGIN.length, end];
}

/** The generated part of the document, between its markers. */
export function generatedPart(document: string): string {
  const [begin, end] = bounds(document);
  return document.slice(begin, end);
}

/** The document with `generated` between its markers; the rest as it was. */
export function withGeneratedPart(document: string, generated: string): string {
  const [begin, end] = bounds(document);
  return `${document.slice(0, begin)}\n\n${generated.trim()}\n\n${document.slice(end)}`;
}

/**
 * Markdown as Prettier may lay it out or not: table cells trimmed, alignment rows reduced to their alignment,
 * blank lines at the ends dropped. Two texts alike here show the same figures.
 */
export function comparable(markdown: string): string {
  return markdown
    .trim()
    .split('\n')
    .map((line) => {
      const text = line.trim();
      if (!text.startsWith('|')) return text;
      return text
        .split('|')
        .map((cell) => cell.trim())
        .map((cell) => (/^:?-+:?$/.test(cell) ? cell.replace(/-+/, '-') : cell))
        .join('|');
    })
    .join('\n');
}
