import { neutraliseCell } from './results';
import type { Device } from '../device';
import { type Invitation, effectiveStatus } from '../invitation';

/** docs/SPEC.md §2.4: the device export and the results of device operations share this layout. */
export const DEVICE_RESULT_COLUMNS = [
  'Device ID',
  'Token',
  'Invitation Name',
  'Operation',
  'Status',
  'Registered At',
  'Last Seen',
  'Details',
  'Error',
] as const;

type DeviceResultColumn = (typeof DEVICE_RESULT_COLUMNS)[number];

/**
 * What `Details` lists, in this order, each as `key: value` and only when known. `invitation_status` is the
 * invitation's effective status (`expired` once past its expiry); `status` is the device's own.
 */
export interface DeviceDetails {
  invitation_id?: string;
  invitation_status?: string;
  status?: string;
  hostname?: string;
  username?: string;
  label?: string;
  fingerprint?: string;
  revoked_at?: string;
  revoked_by?: string;
  revoke_reason?: string;
  /** validate: the answer a device's own validation would get, and why not when it is not valid. */
  valid?: boolean;
  reason?: string;
}

const DETAIL_ORDER: readonly (keyof DeviceDetails)[] = [
  'invitation_id',
  'invitation_status',
  'status',
  'hostname',
  'username',
  'label',
  'fingerprint',
  'revoked_at',
  'revoked_by',
  'revoke_reason',
  'valid',
  'reason',
];

/** One row of a device export or of a device operations result. `token` is a masked hint or an id, never a secret. */
export interface DeviceRow {
  deviceId: string;
  token: string;
  invitationName?: string;
  operation: string;
  status: 'Success' | 'Failed';
  registeredAt?: string;
  lastSeen?: string;
  details?: DeviceDetails;
  error?: string;
}

export function deviceResultCells(row: DeviceRow): string[] {
  const cells: Record<DeviceResultColumn, string> = {
    'Device ID': neutraliseCell(row.deviceId),
    Token: neutraliseCell(row.token),
    'Invitation Name': neutraliseCell(row.invitationName ?? ''),
    Operation: neutraliseCell(row.operation),
    Status: row.status,
    'Registered At': neutraliseCell(row.registeredAt ?? ''),
    'Last Seen': neutraliseCell(row.lastSeen ?? ''),
    Details: neutraliseCell(formatDetails(row.details ?? {})),
    Error: neutraliseCell(row.error ?? ''),
  };
  return DEVICE_RESULT_COLUMNS.map((column) => cells[column]);
}

/**
 * `key: value; key: value` in DETAIL_ORDER, absent values left out. Each value is neutralised too, so a value
 * copied out of the list cannot open as a formula either; `\` and `;` inside a value are escaped with `\` so the
 * list splits unambiguously on `; `.
 */
export function formatDetails(details: DeviceDetails): string {
  return DETAIL_ORDER.flatMap((key) => {
    const value = details[key];
    if (value === undefined) return [];
    const shown = typeof value === 'boolean' ? (value ? 'yes' : 'no') : neutraliseCell(value);
    return [`${key}: ${shown.replace(/[\\;]/g, '\\$&')}`];
  }).join('; ');
}

/** What a device record says about itself, for `Details`. */
export function deviceDetails(invitation: Invitation, device: Device, now: Date): DeviceDetails {
  return {
    invitation_id: invitation.id,
    invitation_status: effectiveStatus(invitation, now),
    status: device.status,
    hostname: device.hostname,
    username: device.username,
    label: device.label,
    fingerprint: device.fingerprintHash,
    revoked_at: device.revokedAt,
    revoked_by: device.revokedBy,
    revoke_reason: device.revokeReason,
  };
}

/**
 * A device as a row shows it, found through `token` (as the row shows it: a masked hint or an invitation id)
 * for `operation`: Success, with the device's real times and its details.
 */
export function deviceRow(
  invitation: Invitation,
  device: Device,
  now: Date,
  shown: { token: string; operation: string },
): DeviceRow {
  return {
    deviceId: device.deviceId,
    token: shown.token,
    invitationName: invitation.name,
    operation: shown.operation,
    status: 'Success',
    registeredAt: device.registeredAt,
    lastSeen: device.lastSeenAt,
    details: deviceDetails(invitation, device, now),
  };
}
