import { SEED_COLUMNS } from '../../lambdas/domain/csv/input';

/** The batch guide's header: `Name,Type,ValidDays,CanInvite,Transferable,DeviceBound,MaxDevices`. */
export const SEED_HEADER = SEED_COLUMNS.join(',');

/** The guide's class template for `rows` students, as its generation script writes it. */
export const classTemplate = (rows: number): string =>
  [SEED_HEADER, ...Array.from({ length: rows }, (_, n) => `Student-${n + 1},read_write,120,no,no,yes,2`)].join('\n') +
  '\n';
