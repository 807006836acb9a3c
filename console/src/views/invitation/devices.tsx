import { useState } from 'preact/hooks';
import type { DeviceView } from '../../../../lambdas/contract/views';
import { listDevices, revokeDevice } from '../../api/registry';
import { useLoad } from '../../hooks/use-load';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ErrorAlert } from '../../ui/error-alert';
import { Field } from '../../ui/field';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';

/** The devices of an invitation, each active one with a "Revoke device" button. */
export function Devices({ id, version, onChange }: { id: string; version: number; onChange: () => void }) {
  const loaded = useLoad(() => listDevices(id), `${id}:${version}`);
  const [revoking, setRevoking] = useState<DeviceView>();
  const devices = loaded.data?.devices ?? [];
  return (
    <section aria-labelledby="devices-heading">
      <h2 id="devices-heading">Devices</h2>
      <ErrorAlert error={loaded.error} what="The devices could not be read." />
      {loaded.data && devices.length === 0 && <p>No device has registered.</p>}
      {devices.length > 0 && (
        <table>
          <caption>{devices.length} registered</caption>
          <thead>
            <tr>
              <th scope="col">Device id</th>
              <th scope="col">Hostname</th>
              <th scope="col">Username</th>
              <th scope="col">Registered</th>
              <th scope="col">Last seen</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => (
              <tr key={device.deviceId}>
                <th scope="row">
                  <code>{device.deviceId}</code>
                </th>
                <td>{device.hostname}</td>
                <td>{device.username}</td>
                <td>
                  <Time value={device.registeredAt} />
                </td>
                <td>
                  <Time value={device.lastSeenAt} />
                </td>
                <td>
                  <Status value={device.status} />
                  {device.revokeReason && `: ${device.revokeReason}`}
                </td>
                <td>
                  {device.status === 'active' && (
                    <button
                      type="button"
                      aria-label={`Revoke device ${device.deviceId}`}
                      onClick={() => setRevoking(device)}
                    >
                      Revoke device
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <RevokeDeviceDialog
          invitationId={id}
          device={revoking}
          onClose={() => setRevoking(undefined)}
          onRevoked={onChange}
        />
      )}
    </section>
  );
}

function RevokeDeviceDialog({
  invitationId,
  device,
  onClose,
  onRevoked,
}: {
  invitationId: string;
  device: DeviceView;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <ConfirmDialog
      title={`Revoke device ${device.deviceId}`}
      confirmLabel="Revoke device"
      danger
      onClose={onClose}
      act={async () => {
        await revokeDevice(invitationId, device.deviceId, reason.trim() || undefined);
        onRevoked();
      }}
    >
      <p>
        The device {device.hostname} ({device.username}) can never become active again on this invitation. The
        invitation stays usable for its other devices.
      </p>
      <Field
        label="Reason"
        hint="Kept with the revocation"
        control={(props) => (
          <input {...props} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
        )}
      />
    </ConfirmDialog>
  );
}
