import { stringify } from 'csv-stringify/sync';

/** docs/SPEC.md §2.2: exactly these names in this order; the seeds' scripts read them by name. */
export const RESULT_COLUMNS = [
  'Name',
  'Type',
  'Token',
  'Valid Days',
  'Can Invite',
  'Transferable',
  'Device Bound',
  'Max Devices',
  'Status',
  'Error',
] as const;
export const RESULT_COLUMNS_WITH_ENCODED = [...RESULT_COLUMNS.slice(0, -1), 'Encoded Data', 'Error'] as const;
/** Allowed after the required columns of batch results. */
export const EXTRA_COLUMNS = ['Id', 'Expires', 'Parent Id', 'Row', 'Line', 'Notes'] as const;
/** After the required columns of an invitation export; `Invitation Status` so as not to clash with the row's `Status`. */
export const EXPORT_EXTRA_COLUMNS = [
  'Id',
  'Invitation Status',
  'Created',
  'Expires',
  'Parent Id',
  'Active Devices',
  'Batch Id',
  'Max Descendants',
  'Descendants Created',
] as const;

type RequiredColumn = (typeof RESULT_COLUMNS_WITH_ENCODED)[number];
export type ResultColumn = RequiredColumn | (typeof EXTRA_COLUMNS)[number];
export type ExportColumn = RequiredColumn | (typeof EXPORT_EXTRA_COLUMNS)[number];

/** What the required columns show. `token` is the secret or a masked hint, as the caller decides. */
export interface InvitationCells {
  status: 'Success' | 'Failed';
  name: string;
  type: string;
  token?: string;
  encoded?: string;
  validDays?: number;
  canInvite?: boolean;
  transferable?: boolean;
  deviceBound?: boolean;
  maxDevices?: number;
  error?: string;
}

/** One row of a batch's results file. */
export interface RowResult extends InvitationCells {
  row: number;
  line: number;
  invitationId?: string;
  expiresAt?: string;
  parentId?: string;
  notes?: string[];
}

/** One row of an invitation export: an existing invitation, `validDays` being the days it has left. */
export interface ExportRow extends InvitationCells {
  invitationId: string;
  invitationStatus: string;
  createdAt: string;
  expiresAt: string;
  parentId?: string;
  activeDevices: number;
  batchId?: string;
  maxDescendants: number;
  descendantsCreated: number;
}

export function resultHeader(includeEncoded: boolean): ResultColumn[] {
  return [...requiredHeader(includeEncoded), ...EXTRA_COLUMNS];
}

export function exportHeader(includeEncoded: boolean): ExportColumn[] {
  return [...requiredHeader(includeEncoded), ...EXPORT_EXTRA_COLUMNS];
}

export function resultCells(result: RowResult, includeEncoded: boolean): string[] {
  const cells: Record<ResultColumn, string> = {
    ...requiredCells(result),
    Id: text(result.invitationId),
    Expires: text(result.expiresAt),
    'Parent Id': text(result.parentId),
    Row: number(result.row),
    Line: number(result.line),
    Notes: text(result.notes?.join('; ')),
  };
  return resultHeader(includeEncoded).map((column) => cells[column]);
}

export function exportCells(row: ExportRow, includeEncoded: boolean): string[] {
  const cells: Record<ExportColumn, string> = {
    ...requiredCells(row),
    Id: text(row.invitationId),
    'Invitation Status': text(row.invitationStatus),
    Created: text(row.createdAt),
    Expires: text(row.expiresAt),
    'Parent Id': text(row.parentId),
    'Active Devices': number(row.activeDevices),
    'Batch Id': text(row.batchId),
    'Max Descendants': number(row.maxDescendants),
    'Descendants Created': number(row.descendantsCreated),
  };
  return exportHeader(includeEncoded).map((column) => cells[column]);
}

const requiredHeader = (includeEncoded: boolean): readonly RequiredColumn[] =>
  includeEncoded ? RESULT_COLUMNS_WITH_ENCODED : RESULT_COLUMNS;

function requiredCells(result: InvitationCells): Record<RequiredColumn, string> {
  return {
    Name: text(result.name),
    Type: text(result.type),
    Token: text(result.token),
    'Valid Days': number(result.validDays),
    'Can Invite': yesNo(result.canInvite),
    Transferable: yesNo(result.transferable),
    'Device Bound': yesNo(result.deviceBound),
    'Max Devices': number(result.maxDevices),
    Status: result.status,
    'Encoded Data': text(result.encoded),
    Error: text(result.error),
  };
}

const text = (value: string | undefined) => neutraliseCell(value ?? '');
const number = (value: number | undefined) => (value === undefined ? '' : String(value));
const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? 'yes' : 'no');

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Keeps a text cell from opening as a formula in a spreadsheet (docs/SPEC.md §2.2). For text cells only: a number
 * such as `-5` must stay a number. Tokens (`inv-`) and encoded invitations (`eyJ`) never start with these.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 line ending in CRLF. */
export function csvLine(cells: string[]): string {
  // csv-stringify quotes only cells holding the whole record delimiter; a lone CR or LF must be quoted too.
  return stringify([cells], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
