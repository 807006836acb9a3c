import { stringify } from 'csv-stringify/sync';
import type { InvitationSettings } from '../invitation';
import {
  COLUMN_SETTINGS,
  type CellFormat,
  INVITATION_SETTINGS,
  type SettingColumn,
  type SettingsWith,
} from '../invitation-settings';

type RequiredColumn = SettingColumn | 'Token' | 'Status' | 'Encoded Data' | 'Error';

const columnOf = (setting: SettingsWith<'column'>): SettingColumn => INVITATION_SETTINGS[setting].column.name;

/**
 * docs/SPEC.md §2.2: exactly these names in this order; the seeds' scripts read them by name. The settings' columns
 * (INVITATION_SETTINGS), the token's right after the type's, then the row's status and error.
 */
export const RESULT_COLUMNS: readonly RequiredColumn[] = [
  ...COLUMN_SETTINGS.flatMap((setting) =>
    setting === 'type' ? [columnOf(setting), 'Token' as const] : [columnOf(setting)],
  ),
  'Status',
  'Error',
];
export const RESULT_COLUMNS_WITH_ENCODED: readonly RequiredColumn[] = [
  ...RESULT_COLUMNS.slice(0, -1),
  'Encoded Data',
  'Error',
];
/** Allowed after the required columns of batch results; `Email` last in both layouts, so no column before it moved. */
export const EXTRA_COLUMNS = ['Id', 'Expires', 'Parent Id', 'Row', 'Line', 'Notes', 'Email'] as const;
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
  'Email',
] as const;

export type ResultColumn = RequiredColumn | (typeof EXTRA_COLUMNS)[number];
export type ExportColumn = RequiredColumn | (typeof EXPORT_EXTRA_COLUMNS)[number];

/**
 * What the required columns show: the settings that have a column, the name and type as the row gave them (a
 * failed row's too). `token` is the secret or a masked hint, as the caller decides.
 */
export interface InvitationCells extends Partial<
  Pick<InvitationSettings, Exclude<SettingsWith<'column'>, 'name' | 'type'>>
> {
  status: 'Success' | 'Failed';
  name: string;
  type: string;
  token?: string;
  encoded?: string;
  error?: string;
  /** The recipient's address (docs/SPEC.md §4.8), in the `Email` column after the required ones. */
  email?: string;
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
    Email: text(result.email),
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
    Email: text(row.email),
  };
  return exportHeader(includeEncoded).map((column) => cells[column]);
}

const requiredHeader = (includeEncoded: boolean): readonly RequiredColumn[] =>
  includeEncoded ? RESULT_COLUMNS_WITH_ENCODED : RESULT_COLUMNS;

function requiredCells(result: InvitationCells): Record<RequiredColumn, string> {
  return {
    ...settingCells(result),
    Token: text(result.token),
    Status: result.status,
    'Encoded Data': text(result.encoded),
    Error: text(result.error),
  };
}

function settingCells(result: InvitationCells): Record<SettingColumn, string> {
  const cells: Partial<Record<SettingColumn, string>> = {};
  for (const { setting, column, cell } of SETTING_CELLS) cells[column] = cell(result[setting]);
  return cells as Record<SettingColumn, string>;
}

type CellValue = string | number | boolean | undefined;
const text = (value: CellValue) => neutraliseCell(value === undefined ? '' : String(value));
const number = (value: CellValue) => (value === undefined ? '' : String(value));
const yesNo = (value: CellValue) => (value === undefined ? '' : value ? 'yes' : 'no');
const CELLS: Record<CellFormat, (value: CellValue) => string> = { text, number, yesNo };
/** Each setting's column and cell writer, looked up once: exports write them for every invitation. */
const SETTING_CELLS = COLUMN_SETTINGS.map((setting) => ({
  setting,
  column: columnOf(setting),
  cell: CELLS[INVITATION_SETTINGS[setting].column.cell],
}));

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
