import type { Origin } from '../../domain/audit';
import { BATCH_CONCURRENCY } from '../../domain/batch';
import {
  type OperationColumns,
  type ParsedOperation,
  cellRef,
  isTokenReference,
  mapOperationsHeader,
  parseOperationRow,
  positionalOperationColumns,
} from '../../domain/csv/device-operations';
import { DEVICE_RESULT_COLUMNS, type DeviceRow, deviceResultCells, deviceRow } from '../../domain/csv/devices';
import { type CsvRecord, DEFAULT_CSV_LIMITS, readCsvRecords } from '../../domain/csv/reader';
import { validateDevice } from '../../domain/device';
import { RegistryError } from '../../domain/errors';
import type { Invitation } from '../../domain/invitation';
import type { DeviceOperation } from '../../domain/job';
import type { ObjectStore } from '../../ports';
import type { Deps } from '../deps';
import { revokeDevice } from '../devices/manage';
import { invitationForToken } from '../lookup';
import { type JobWork, inputKeyOf, resultKeyOf } from './job-run';
import { mapInOrder, writeRowFile } from './row-files';

/**
 * `device-operations` (docs/SPEC.md §2.3, §2.4): carries out each row of the CSV at the job's input key, with
 * `options.concurrency` rows in flight, and writes one result row per data row, in input order. The file is
 * read twice, streamed both times: first through to its end, so a file-level rejection (thrown as
 * `FileRejection`) comes before any device is touched; then row by row as the work goes.
 *
 * Safe to run again: `info` and `validate` change nothing (validate does not move `lastSeenAt`: an
 * administrator's check is not the device checking in), and revoking a revoked device succeeds without a write.
 * Result rows show the device as it is afterwards, so a second run writes the same file.
 */
export const runDeviceOperations: JobWork = async (deps, run) => {
  const { job } = run;
  const { operation, hasHeader = true, concurrency = BATCH_CONCURRENCY.default } = job.options;
  const inputKey = job.inputKey ?? inputKeyOf(job.id);
  const layout = await checkedLayout(deps.objects, inputKey, hasHeader);
  const operator: Operator = {
    deps,
    origin: run.origin,
    reason: `device operations job ${job.id}`,
    layout,
    now: deps.now(),
    revoked: 0,
  };
  const { progress, resultKey } = await writeRowFile(
    deps.objects,
    run,
    resultKeyOf(job, 'devices.csv'),
    DEVICE_RESULT_COLUMNS,
    mapInOrder(operations(deps.objects, inputKey, hasHeader, layout, operation), concurrency, (parsed) =>
      carryOut(operator, parsed),
    ),
    deviceResultCells,
  );
  const { processed: rows, succeeded, failed } = progress;
  return {
    progress,
    resultKey,
    summary: {
      rows,
      succeeded,
      failed,
      revoked: operator.revoked,
      ...(layout.ignoredColumns.length > 0 && { ignoredColumns: layout.ignoredColumns.join(', ') }),
    },
  };
};

async function records(objects: ObjectStore, key: string, hasHeader: boolean): Promise<AsyncGenerator<CsvRecord>> {
  return readCsvRecords(await objects.read(key), DEFAULT_CSV_LIMITS, { hasHeader });
}

/** Reads the file through to its end and gives its columns; throws `FileRejection` for a file refused whole. */
async function checkedLayout(objects: ObjectStore, key: string, hasHeader: boolean): Promise<OperationColumns> {
  let layout = hasHeader ? undefined : positionalOperationColumns();
  for await (const record of await records(objects, key, hasHeader)) layout ??= mapOperationsHeader(record.cells);
  // readCsvRecords refuses a file without a data row, so a header (or the positional layout) was seen.
  return layout!;
}

async function* operations(
  objects: ObjectStore,
  key: string,
  hasHeader: boolean,
  layout: OperationColumns,
  fileOperation: DeviceOperation | undefined,
): AsyncGenerator<ParsedOperation> {
  let headerPending = hasHeader;
  for await (const record of await records(objects, key, hasHeader)) {
    if (headerPending) headerPending = false;
    else yield parseOperationRow(layout, record, fileOperation);
  }
}

/** What every row's work needs, and the count of devices this run revoked. */
interface Operator {
  deps: Deps;
  origin: Origin;
  reason: string;
  layout: OperationColumns;
  now: Date;
  revoked: number;
}

async function carryOut(operator: Operator, parsed: ParsedOperation): Promise<DeviceRow> {
  const { deps, layout, now } = operator;
  const { line, echo } = parsed;
  const failed = (error: string, invitationName = echo.name): DeviceRow => ({
    deviceId: echo.deviceId,
    token: echo.token,
    invitationName,
    operation: echo.operation,
    status: 'Failed',
    error,
  });
  if (!parsed.ok) return failed(parsed.error);

  const { deviceId, invitationRef, operation } = parsed.request;
  const invitation = await findInvitation(deps, invitationRef);
  if (!invitation) return failed(`${cellRef(layout, line, 'Token')}: unknown invitation token or id`);
  const device = await deps.store.getDevice(invitation.id, deviceId);
  if (!device) return failed(`${cellRef(layout, line, 'Device ID')}: Device not found`, invitation.name);
  // The Token cell shows the hint of a token, or the id as given.
  const shown = { token: isTokenReference(invitationRef) ? invitation.tokenHint : invitationRef, operation };
  const found = deviceRow(invitation, device, now, shown);

  switch (operation) {
    case 'info':
      return found;
    case 'validate': {
      const validation = validateDevice(invitation, await deps.store.ancestorsOf(invitation), device, now);
      const details = { ...found.details, valid: validation.valid };
      if (validation.valid) return { ...found, details };
      return {
        ...found,
        status: 'Failed',
        details: { ...details, reason: validation.reason },
        error: `line ${line}: the device is not valid (${validation.reason})`,
      };
    }
    case 'revoke': {
      if (device.status === 'revoked') return found;
      try {
        const revoked = await revokeDevice(deps, invitation.id, deviceId, operator.reason, operator.origin);
        // Revoked by someone else since it was read: the row reports the device as it is now.
        if (!revoked.alreadyRevoked) operator.revoked++;
        return deviceRow(invitation, revoked.device, now, shown);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        return failed(`line ${line}: ${error.message}`, invitation.name);
      }
    }
  }
}

/** An `inv-…` Token cell is looked up as a token, anything else as an invitation id. */
async function findInvitation(deps: Deps, reference: string): Promise<Invitation | undefined> {
  const found = isTokenReference(reference)
    ? await invitationForToken(deps, reference)
    : await deps.store.getInvitation(reference);
  return found?.value;
}
