import { FileRejection, type CsvRecord } from './reader';
import { INVITATION_TYPES, type InvitationRequest, type InvitationType, LIMITS } from '../invitation';
import { refuseImplausibleEmail } from '../email';
import { characterCount, refuseControlCharacters, shortened, visible } from '../text';
import * as z from '../zod';

/** The seeds' header, and the column order of a file without one (docs/SPEC.md §2.1). */
export const SEED_COLUMNS = [
  'Name',
  'Type',
  'ValidDays',
  'CanInvite',
  'Transferable',
  'DeviceBound',
  'MaxDevices',
] as const;

/** Columns beyond the seeds' that a header may name, in any position: never read from a file without a header. */
export const NAMED_ONLY_COLUMNS = ['Email'] as const;

/** Every column a header may name. */
export const INPUT_COLUMNS = [...SEED_COLUMNS, ...NAMED_ONLY_COLUMNS] as const;

type InputColumn = (typeof INPUT_COLUMNS)[number];
/** The request field a column fills: the column's name in camelCase. */
export type InputField = Uncapitalize<InputColumn>;
const fieldOf = (column: InputColumn) => `${column.charAt(0).toLowerCase()}${column.slice(1)}` as InputField;
const INPUT_FIELDS = INPUT_COLUMNS.map(fieldOf);
const REQUIRED_COLUMNS: InputColumn[] = ['Name', 'Type'];

/** Which field each column of the file holds. */
export interface ColumnMapping {
  /** By column position; `undefined` for a column the registry does not know. */
  fields: (InputField | undefined)[];
  /** Unknown columns as written, listed once: the batch shows them as a warning. */
  unknownColumns: string[];
  /** Cells every row must have. */
  width: number;
  /** Column names as the user wrote them, by position, for error messages. */
  headers: string[];
}

/** A row's Name and Type as written: what its result shows when the row fails. */
export interface RowEcho {
  name: string;
  type: string;
}

/**
 * A data row turned into a request, or the reason it cannot be; `echo` is its Name and Type as written,
 * trimmed, cut to ECHO_MAX_CHARACTERS, control characters shown as `\uXXXX`.
 */
export type RowOutcome =
  { ok: true; request: InvitationRequest; echo: RowEcho } | { ok: false; error: string; echo: RowEcho };

/**
 * The most characters a cell may hold, whatever its column: longer than any value a column accepts, so a
 * cell beyond it is refused without being read further, and no row grows past what a queue message or a
 * table item can carry.
 */
export const MAX_CELL_CHARACTERS = 1_000;

/** How much of a value an error message or a warning quotes. */
const QUOTED_VALUE_MAX = 60;

/** How much of a failed row's Name and Type its result shows. */
export const ECHO_MAX_CHARACTERS = LIMITS.name.max;

/** A row error lists at most this many problems, then how many more there are. */
const MAX_LISTED_PROBLEMS = 8;

/** `Valid Days` = `valid_days` = `ValidDays`: case, spaces, `_` and `-` do not matter. */
export const squash = (text: string): string => text.toLowerCase().replace(/[\s_-]/g, '');

const FIELD_BY_SQUASHED_HEADER = new Map(INPUT_COLUMNS.map((column) => [squash(column), fieldOf(column)]));

export function mapHeader(cells: string[]): ColumnMapping {
  const headers = cells.map((cell) => cell.trim());
  const fields = headers.map((header) => FIELD_BY_SQUASHED_HEADER.get(squash(header)));
  const missing = REQUIRED_COLUMNS.filter((column) => !fields.includes(fieldOf(column)));
  if (missing.length > 0) {
    throw new FileRejection(
      'no_header_columns',
      `The header has no ${missing.join(' and no ')} column (header: ${quote(headers.join(','))}). ` +
        'If the file has no header row, send it with hasHeader=false.',
    );
  }
  for (const column of INPUT_COLUMNS) {
    const duplicates = headers.filter((_, position) => fields[position] === fieldOf(column));
    if (duplicates.length > 1) {
      throw new FileRejection(
        'duplicate_columns',
        `The header has ${duplicates.length} ${column} columns: ${duplicates.map(quote).join(', ')}. Keep one of them.`,
      );
    }
  }
  const unknownColumns = headers
    .map((header, position) => header || `column ${position + 1} (no header)`)
    .filter((_, position) => fields[position] === undefined);
  return { fields, unknownColumns: [...new Set(unknownColumns)], width: cells.length, headers };
}

/** Unknown columns a warning names at most; the rest are counted. */
const MAX_LISTED_COLUMNS = 20;

/** The batch warning for the columns the registry ignores, or undefined when there are none. */
export function unknownColumnsWarning({ unknownColumns }: ColumnMapping): string | undefined {
  if (unknownColumns.length === 0) return undefined;
  const listed = unknownColumns
    .slice(0, MAX_LISTED_COLUMNS)
    .map((column) => visible(shortened(column, QUOTED_VALUE_MAX)));
  const more = unknownColumns.length - listed.length;
  return `Unknown columns ignored: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** A file without a header row: the seed columns, in order. */
export function positionalMapping(): ColumnMapping {
  return {
    fields: SEED_COLUMNS.map(fieldOf),
    unknownColumns: [],
    width: SEED_COLUMNS.length,
    headers: [...SEED_COLUMNS],
  };
}

const wholeNumber = (range: { min: number; max: number }) => {
  const rule = `must be a whole number from ${range.min} to ${range.max}`;
  return z
    .pipe(z.string().check(z.regex(/^\d+$/, { error: rule })), z.transform(Number))
    .check(z.refine((value) => value >= range.min && value <= range.max, { error: rule }));
};

const yesNo = z.stringbool({
  truthy: ['yes', 'y', 'true', 't', '1'],
  falsy: ['no', 'n', 'false', 'f', '0'],
  case: 'insensitive',
  error: 'must be yes or no (or y/n, true/false, t/f, 1/0)',
});

/** Spellings are squashed first, so `Read-Only`, `read only` and `READONLY` are all `read_only`. */
const TYPE_BY_SQUASHED_NAME = new Map<string, InvitationType>([
  ...INVITATION_TYPES.map((type) => [squash(type), type] as const),
  ['ro', 'read_only'],
  ['rw', 'read_write'],
  ['administrator', 'admin'],
]);

const invitationType = z.pipe(
  z.pipe(
    z.string({ error: 'is required' }),
    z.transform((text) => TYPE_BY_SQUASHED_NAME.get(squash(text))),
  ),
  z.enum(INVITATION_TYPES, {
    error: 'must be read_only, read_write or admin (or ro, rw, readonly, readwrite, administrator)',
  }),
);

const name = z.string({ error: 'is required' }).check(
  z.refine((text) => characterCount(text) <= LIMITS.name.max, {
    error: `must be ${LIMITS.name.min}-${LIMITS.name.max} characters`,
  }),
  z.superRefine(refuseControlCharacters({ freeText: true })),
);

/** docs/SPEC.md §2.1 row rules. Cells arrive trimmed, empty ones absent: the domain's defaults apply to them. */
const rowSchema = z.object({
  name,
  type: invitationType,
  validDays: z.optional(wholeNumber(LIMITS.validDays)),
  canInvite: z.optional(yesNo),
  transferable: z.optional(yesNo),
  deviceBound: z.optional(yesNo),
  maxDevices: z.optional(wholeNumber(LIMITS.maxDevices)),
  email: z.optional(z.string().check(z.superRefine(refuseImplausibleEmail))),
});

export function parseRow(mapping: ColumnMapping, record: CsvRecord): RowOutcome {
  const cells = record.cells.map((cell) => cell.trim());
  const cellOf = (field: InputField): string | undefined => {
    const position = mapping.fields.indexOf(field);
    return position === -1 ? undefined : cells[position];
  };
  const echo = { name: echoOf(cellOf('name')), type: echoOf(cellOf('type')) };
  if (cells.length !== mapping.width) {
    return { ok: false, error: `line ${record.line}: expected ${mapping.width} cells, found ${cells.length}`, echo };
  }
  const columnName = (position: number) => quote(mapping.headers[position] || `column ${position + 1}`);
  const problems: { position: number; text: string }[] = [];
  const overLong = new Set<number>();
  cells.forEach((cell, position) => {
    const length = characterCount(cell);
    if (length <= MAX_CELL_CHARACTERS) return;
    overLong.add(position);
    problems.push({
      position,
      text:
        `line ${record.line}, column ${columnName(position)}: is ${length.toLocaleString('en-US')} characters long, ` +
        `more than the ${MAX_CELL_CHARACTERS.toLocaleString('en-US')} a cell may hold`,
    });
  });

  const filled = INPUT_FIELDS.map((field) => [field, mapping.fields.indexOf(field)] as const).filter(
    ([, position]) => position !== -1 && cells[position],
  );
  // An over-long cell is read no further: its one problem is its length.
  const shown = filled.map(([field, position]) => [field, overLong.has(position) ? '' : cells[position]]);
  const parsed = z.safeParse(rowSchema, Object.fromEntries(shown));
  if (parsed.success && problems.length === 0) return { ok: true, request: parsed.data, echo };

  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0] as InputField;
    const position = mapping.fields.indexOf(field);
    if (overLong.has(position)) continue;
    const value = cells[position];
    const got = value ? ` (got ${quote(value)})` : '';
    problems.push({
      position,
      text: `line ${record.line}, column ${quote(mapping.headers[position] ?? field)}: ${issue.message}${got}`,
    });
  }
  problems.sort((a, b) => a.position - b.position);
  return { ok: false, error: listProblems(problems.map((problem) => problem.text)), echo };
}

const echoOf = (cell: string | undefined): string => visible(shortened(cell ?? '', ECHO_MAX_CHARACTERS));

function listProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  return [...listed, ...(more > 0 ? [`and ${more} more problem${more === 1 ? '' : 's'}`] : [])].join('; ');
}

/** A value as an error message shows it: in double quotes, cut short when long, control characters made visible. */
export const quote = (value: string): string => `"${visible(shortened(value, QUOTED_VALUE_MAX))}"`;
