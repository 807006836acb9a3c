import { quote, squash } from './input';
import { type CsvRecord, FileRejection } from './reader';
import { DEVICE_OPERATIONS, type DeviceOperation } from '../job';
import { DEVICE_ID_RULE, isWellFormedDeviceId, maskToken } from '../tokens';

/**
 * docs/SPEC.md §2.3, the device operations file: `Device ID,Token,Name,Operation`. Columns are matched by name as in
 * §2.1 (case, spaces, `_` and `-` do not matter); unknown columns are ignored. `Name` is the invitation's name as
 * the administrator knows it, shown when the invitation cannot be found. A row's own `Operation` wins; the
 * operation given for the whole file fills rows that name none. A row left with no known operation is a row
 * error, never a silent revoke.
 */
export const DEVICE_OPERATION_COLUMNS = ['Device ID', 'Token', 'Name', 'Operation'] as const;

type OperationColumn = (typeof DEVICE_OPERATION_COLUMNS)[number];
const REQUIRED_COLUMNS: OperationColumn[] = ['Device ID', 'Token'];
const COLUMN_BY_SQUASHED_HEADER = new Map(DEVICE_OPERATION_COLUMNS.map((column) => [squash(column), column]));

/** Which column of the file holds what. */
export interface OperationColumns {
  /** By position; `undefined` for a column ignored. */
  columns: (OperationColumn | undefined)[];
  /** Column names as the user wrote them, by position, for error messages. */
  headers: string[];
  /** Columns the file has that are not ours, listed once. */
  ignoredColumns: string[];
  minCells: number;
  maxCells: number;
}

export function mapOperationsHeader(cells: string[]): OperationColumns {
  const headers = cells.map((cell) => withoutToken(cell.trim()));
  const columns = headers.map((header) => COLUMN_BY_SQUASHED_HEADER.get(squash(header)));
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new FileRejection(
      'no_header_columns',
      `The header has no ${missing.join(' and no ')} column (header: ${quote(headers.join(','))}). ` +
        `A device operations file has the columns ${DEVICE_OPERATION_COLUMNS.join(',')}; ` +
        'if it has no header row, send it with hasHeader=false.',
    );
  }
  for (const column of DEVICE_OPERATION_COLUMNS) {
    const duplicates = headers.filter((_, position) => columns[position] === column);
    if (duplicates.length > 1) {
      throw new FileRejection(
        'duplicate_columns',
        `The header has ${duplicates.length} ${column} columns: ${duplicates.map(quote).join(', ')}. Keep one of them.`,
      );
    }
  }
  const ignored = headers
    .map((header, position) => header || `column ${position + 1} (no header)`)
    .filter((_, position) => columns[position] === undefined);
  return { columns, headers, ignoredColumns: [...new Set(ignored)], minCells: cells.length, maxCells: cells.length };
}

/** A file without a header row: `Device ID,Token[,Name[,Operation]]`, the optional columns left off at will. */
export function positionalOperationColumns(): OperationColumns {
  return {
    columns: [...DEVICE_OPERATION_COLUMNS],
    headers: [...DEVICE_OPERATION_COLUMNS],
    ignoredColumns: [],
    minCells: REQUIRED_COLUMNS.length,
    maxCells: DEVICE_OPERATION_COLUMNS.length,
  };
}

/** One operation to carry out. `invitationRef` is the Token cell: a token (`inv-…`) or an invitation id. */
export interface DeviceOperationRequest {
  deviceId: string;
  invitationRef: string;
  operation: DeviceOperation;
}

/** What a row's result shows of the row as written: the token only as a masked hint. */
export interface OperationEcho {
  deviceId: string;
  token: string;
  name: string;
  operation: string;
}

export type ParsedOperation = { line: number; echo: OperationEcho } & (
  { ok: true; request: DeviceOperationRequest } | { ok: false; error: string }
);

const INVITATION_ID = /^[0-9A-Za-z]{26}$/;
const OPERATION_RULE = `must be ${DEVICE_OPERATIONS.slice(0, -1).join(', ')} or ${DEVICE_OPERATIONS.at(-1)}`;

export const isTokenReference = (reference: string): boolean => reference.startsWith('inv-');

/**
 * How a result shows a Token cell: an invitation id as given, anything else long enough to be (part of) a secret
 * as a masked hint (`inv-AbCd…wXyZ`), never whole.
 */
export function shownReference(reference: string): string {
  return INVITATION_ID.test(reference) || [...reference].length <= 12 ? reference : maskToken(reference);
}

/** Any other cell, as results and messages show it: a token in the wrong column (columns swapped) masked. */
const withoutToken = (cell: string): string => (isTokenReference(cell) ? shownReference(cell) : cell);

/** docs/SPEC.md §2.3 row rules; every problem of the row is named with its line, column and (but for Token) value. */
export function parseOperationRow(
  layout: OperationColumns,
  record: CsvRecord,
  fileOperation: DeviceOperation | undefined,
): ParsedOperation {
  const cells = record.cells.map((cell) => cell.trim());
  const cellOf = (column: OperationColumn): string => cells[layout.columns.indexOf(column)] ?? '';
  const reference = cellOf('Token');
  const deviceId = withoutToken(cellOf('Device ID'));
  const name = withoutToken(cellOf('Name'));
  const operationCell = withoutToken(cellOf('Operation'));
  const asked = operationCell ? operationCell.toLowerCase() : fileOperation;
  const operation = asked !== undefined && isDeviceOperation(asked) ? asked : undefined;
  const echo = { deviceId, token: shownReference(reference), name, operation: operation ?? operationCell };
  const line = record.line;
  const failed = (error: string): ParsedOperation => ({ line, echo, ok: false, error });

  if (cells.length < layout.minCells || cells.length > layout.maxCells) {
    const expected =
      layout.minCells === layout.maxCells ? `${layout.minCells}` : `${layout.minCells} to ${layout.maxCells}`;
    return failed(`line ${line}: expected ${expected} cells, found ${cells.length}`);
  }
  const problems: string[] = [];
  const problem = (column: OperationColumn, message: string) =>
    problems.push(`${cellRef(layout, line, column)}: ${message}`);
  if (!deviceId) problem('Device ID', 'is required');
  else if (!isWellFormedDeviceId(deviceId)) problem('Device ID', `${DEVICE_ID_RULE} (got ${quote(deviceId)})`);
  // The value is never quoted back: it may be a secret.
  if (!reference) problem('Token', 'is required');
  else if (!isTokenReference(reference) && !INVITATION_ID.test(reference))
    problem('Token', 'must be an invitation token (inv-…) or an invitation id (26 letters and digits)');
  if (asked === undefined) {
    const where = layout.columns.includes('Operation') ? 'is empty' : 'is missing';
    problem('Operation', `${where} and no operation was given for the whole file; it ${OPERATION_RULE}`);
  } else if (operation === undefined) {
    problem('Operation', `${OPERATION_RULE} (got ${quote(operationCell)})`);
  }

  if (problems.length > 0 || operation === undefined) return failed(problems.join('; '));
  return { line, echo, ok: true, request: { deviceId, invitationRef: reference, operation } };
}

/** `line 4, column "Device ID"`, the column named as the file names it. */
export function cellRef(layout: OperationColumns, line: number, column: OperationColumn): string {
  return `line ${line}, column ${quote(layout.headers[layout.columns.indexOf(column)] ?? column)}`;
}

const isDeviceOperation = (value: string): value is DeviceOperation =>
  (DEVICE_OPERATIONS as readonly string[]).includes(value);
