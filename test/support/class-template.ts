import { SEED_COLUMNS } from '../../lambdas/domain/csv/input';

/** The batch guide's header: `Name,Type,ValidDays,CanInvite,Transferable,DeviceBound,MaxDevices`. */
export const SEED_HEADER = SEED_COLUMNS.join(',');

/** The guide's class template for `rows` students, as its generation script writes it. */
export const classTemplate = (rows: number): string =>
  [SEED_HEADER, ...Array.from({ length: rows }, (_, n) => `Student-${n + 1},read_write,120,no,no,yes,2`)].join('\n') +
  '\n';

/** The address of student `row` (from 1) in `classTemplateWithEmails`. */
export const studentAddress = (row: number) => `student-${row}@university.example`;

/** The class template with an `Email` column after the fixed ones. */
export const classTemplateWithEmails = (rows: number): string =>
  classTemplate(rows)
    .trimEnd()
    .split('\n')
    .map((line, row) => `${line},${row === 0 ? 'Email' : studentAddress(row)}`)
    .join('\n') + '\n';
