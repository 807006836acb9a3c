import { z } from 'zod';
import { FileRejection, type CsvRecord } from './csv-reader';
import { INVITATION_TYPES, type InvitationRequest, type InvitationType, LIMITS } from './invitation';

/** The seeds' header, and the column order of a file without one (SPEC §2.1). */
export const SEED_COLUMNS = [
  'Name',
  'Type',
  'ValidDays',
  'CanInvite',
  'Transferable',
  'DeviceBound',
  'MaxDevices',
] as const;

type SeedColumn = (typeof SEED_COLUMNS)[number];
/** The request field a column fills: the seed column's name in camelCase. */
export type InputField = Uncapitalize<SeedColumn>;
const fieldOf = (column: SeedColumn) => `${column.charAt(0).toLowerCase()}${column.slice(1)}` as InputField;
const INPUT_FIELDS = SEED_COLUMNS.map(fieldOf);
const REQUIRED_COLUMNS: SeedColumn[] = ['Name', 'Type'];

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

export interface RowEcho {
  name: string;
  type: string;
}

/** A data row turned into a request, or the reason it cannot be; `echo` is its raw Name and Type, trimmed. */
export type RowOutcome =
  { ok: true; request: InvitationRequest; echo: RowEcho } | { ok: false; error: string; echo: RowEcho };

/** `Valid Days` = `valid_days` = `ValidDays`: case, spaces, `_` and `-` do not matter. */
export const squash = (text: string): string => text.toLowerCase().replace(/[\s_-]/g, '');

const FIELD_BY_SQUASHED_HEADER = new Map(SEED_COLUMNS.map((column) => [squash(column), fieldOf(column)]));

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
  for (const column of SEED_COLUMNS) {
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

/** A file without a header row: the seed columns, in order. */
export function positionalMapping(): ColumnMapping {
  return { fields: [...INPUT_FIELDS], unknownColumns: [], width: INPUT_FIELDS.length, headers: [...SEED_COLUMNS] };
}

const wholeNumber = (range: { min: number; max: number }) => {
  const rule = `must be a whole number from ${range.min} to ${range.max}`;
  return z
    .string()
    .regex(/^\d+$/, { error: rule })
    .transform(Number)
    .refine((value) => value >= range.min && value <= range.max, { error: rule });
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

const invitationType = z
  .string({ error: 'is required' })
  .transform((text) => TYPE_BY_SQUASHED_NAME.get(squash(text)))
  .pipe(
    z.enum(INVITATION_TYPES, {
      error: 'must be read_only, read_write or admin (or ro, rw, readonly, readwrite, administrator)',
    }),
  );

const name = z.string({ error: 'is required' }).refine((text) => [...text].length <= LIMITS.name.max, {
  error: `must be ${LIMITS.name.min}-${LIMITS.name.max} characters`,
});

/** SPEC §2.1 row rules. Cells arrive trimmed, empty ones absent: the domain's defaults apply to them. */
const rowSchema = z.object({
  name,
  type: invitationType,
  validDays: wholeNumber(LIMITS.validDays).optional(),
  canInvite: yesNo.optional(),
  transferable: yesNo.optional(),
  deviceBound: yesNo.optional(),
  maxDevices: wholeNumber(LIMITS.maxDevices).optional(),
});

export function parseRow(mapping: ColumnMapping, record: CsvRecord): RowOutcome {
  const cells = record.cells.map((cell) => cell.trim());
  const cellOf = (field: InputField): string | undefined => {
    const position = mapping.fields.indexOf(field);
    return position === -1 ? undefined : cells[position];
  };
  const echo = { name: cellOf('name') ?? '', type: cellOf('type') ?? '' };
  if (cells.length !== mapping.width) {
    return { ok: false, error: `line ${record.line}: expected ${mapping.width} cells, found ${cells.length}`, echo };
  }

  const filled = INPUT_FIELDS.map((field) => [field, cellOf(field)] as const).filter(([, value]) => value);
  const parsed = rowSchema.safeParse(Object.fromEntries(filled));
  if (parsed.success) return { ok: true, request: parsed.data, echo };

  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path[0] as InputField;
    const position = mapping.fields.indexOf(field);
    const value = cells[position];
    const got = value ? ` (got ${quote(value)})` : '';
    return {
      position,
      text: `line ${record.line}, column ${quote(mapping.headers[position] ?? field)}: ${issue.message}${got}`,
    };
  });
  problems.sort((a, b) => a.position - b.position);
  return { ok: false, error: problems.map((problem) => problem.text).join('; '), echo };
}

const QUOTED_VALUE_MAX = 60;
/** A value as an error message shows it: in double quotes, cut short when long. */
export function quote(value: string): string {
  const characters = [...value];
  const shown = characters.length > QUOTED_VALUE_MAX ? `${characters.slice(0, QUOTED_VALUE_MAX).join('')}…` : value;
  return `"${shown}"`;
}
