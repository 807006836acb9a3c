/**
 * What a text value may hold. Control characters (C0, DEL and C1: NUL, escape, line breaks, ...) are refused
 * wherever text enters the registry: they break terminals, CSV readers and log lines, and no name, host or
 * reason needs them. Free text (names, labels, reasons) may hold a tab; identifiers and paths may not.
 */

const CONTROL_BUT_TAB = '\\u0000-\\u0008\\u000A-\\u001F\\u007F-\\u009F';
const CONTROL = new RegExp(`[${CONTROL_BUT_TAB}]`, 'u');
const EVERY_CONTROL = new RegExp(`[${CONTROL_BUT_TAB}]`, 'gu');
const CONTROL_OR_TAB = new RegExp(`[${CONTROL_BUT_TAB}\\t]`, 'u');

export interface TextKind {
  /** Human prose: a tab is allowed. */
  freeText: boolean;
}

const codePoint = (character: string) => character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** Why `text` may not be used as it is, or undefined when it may. */
export function controlCharacterProblem(text: string, { freeText }: TextKind): string | undefined {
  const found = (freeText ? CONTROL : CONTROL_OR_TAB).exec(text);
  if (!found) return undefined;
  const position = characterCount(text.slice(0, found.index)) + 1;
  return `must not contain control characters (found U+${codePoint(found[0])} at character ${position})`;
}

/** A schema refinement (zod's `superRefine`) refusing control characters with `controlCharacterProblem`'s words. */
export const refuseControlCharacters =
  (kind: TextKind) =>
  (value: string, context: { addIssue(issue: { code: 'custom'; message: string }): void }): void => {
    const problem = controlCharacterProblem(value, kind);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  };

/** How many characters (code points, as a person counts them) `text` holds. */
export function characterCount(text: string): number {
  let count = 0;
  for (let at = 0; at < text.length; at++) {
    const unit = text.charCodeAt(at);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length) {
      const next = text.charCodeAt(at + 1);
      if (next >= 0xdc00 && next <= 0xdfff) at++;
    }
    count++;
  }
  return count;
}

/** The first `max` characters of `text`, with `…` when it was longer: a value quoted back, never a stored one. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max).join('')}…`;
}

/** `text` with control characters (tab aside) written as `\uXXXX`, for a value quoted back to a person. */
export const visible = (text: string): string =>
  text.replace(EVERY_CONTROL, (character) => `\\u${codePoint(character)}`);
