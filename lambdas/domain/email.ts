import { invalid } from './errors';
import { characterCount, controlCharacterProblem } from './text';

/**
 * An invitation's recipient address (docs/SPEC.md §1.1, §4.8): one plausible `local@domain.tld`, kept exactly as
 * given once trimmed (nothing is lower-cased: a mailbox's local part may be case-sensitive). It is personal data:
 * never in logs, metrics, audit details or events.
 */
export const EMAIL_LIMITS = { max: 254, localMax: 64 } as const;

/** Any character of an address beyond ASCII (RFC 6531), white space aside; control characters are refused first. */
const NON_ASCII = '[^\\u0000-\\u007F\\p{White_Space}]';
const ATOM_CHARACTER = `(?:[A-Za-z0-9!#$%&'*+/=?^_\`{|}~-]|${NON_ASCII})`;
/** Dot-separated atoms: no leading, trailing or doubled dot, no quoted local part. */
const LOCAL_PART = new RegExp(`^${ATOM_CHARACTER}+(?:\\.${ATOM_CHARACTER}+)*$`, 'u');
const LABEL_CHARACTER = `(?:[A-Za-z0-9]|${NON_ASCII})`;
/** A domain label: 1-63 characters, letters, digits and inner hyphens. */
const LABEL = new RegExp(`^(?=.{1,63}$)${LABEL_CHARACTER}(?:(?:-|${LABEL_CHARACTER})*${LABEL_CHARACTER})?$`, 'u');
/** The last label: letters (at least two), or an internationalised one in its `xn--` form. */
const TOP_LEVEL = new RegExp(`^(?:(?:[A-Za-z]|${NON_ASCII}){2,}|xn--[A-Za-z0-9-]+)$`, 'u');

const SHAPE = 'must look like local@domain.tld';
const WHITE_SPACE = /\p{White_Space}/u;
const LIST_SEPARATOR = /[,;]/;
const DISPLAY_NAME = /[<>"]/;

/** Why `address` (trimmed) is not one plausible e-mail address, or undefined when it is. Never quotes it. */
export function emailProblem(address: string): string | undefined {
  const control = controlCharacterProblem(address, { freeText: false });
  if (control) return control;
  if (characterCount(address) > EMAIL_LIMITS.max) return `must be at most ${EMAIL_LIMITS.max} characters`;
  if (LIST_SEPARATOR.test(address)) return 'must be a single address (no commas or semicolons)';
  if (DISPLAY_NAME.test(address)) return 'must be the address alone, without a display name, quotes or <>';
  if (WHITE_SPACE.test(address)) return 'must not contain spaces';
  const at = address.lastIndexOf('@');
  if (at === -1) return SHAPE;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (!LOCAL_PART.test(local) || labels.length < 2 || !labels.every((label) => LABEL.test(label))) return SHAPE;
  if (!TOP_LEVEL.test(labels.at(-1)!)) return SHAPE;
  if (characterCount(local) > EMAIL_LIMITS.localMax) {
    return `must have at most ${EMAIL_LIMITS.localMax} characters before the @`;
  }
  return undefined;
}

/** A schema refinement (zod's `superRefine`) refusing what `emailProblem` refuses, in its words. */
export const refuseImplausibleEmail = (
  value: string,
  context: { addIssue(issue: { code: 'custom'; message: string }): void },
): void => {
  const problem = emailProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
};

/** `address` trimmed, when it is one plausible address; otherwise an error naming the `email` field. */
export function checkEmail(address: string): string {
  const trimmed = address.trim();
  const problem = emailProblem(trimmed);
  if (problem) throw invalid('email', problem);
  return trimmed;
}

/** Anything shaped like an address in `text` (a mail service's error may quote one), masked: errors are logged. */
export const maskAddresses = (text: string): string => text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]');
