import type { Device } from '../../../lambdas/domain/device';
import type { Origin } from '../../../lambdas/domain/audit';
import { registerDevice } from '../../../lambdas/usecases/devices/manage';
import { AS_RECIPIENT } from '../origins';
import type { MemoryDeps } from './deps';

let serial = 0;

/** A registration request of a device never seen before. */
export const newDevice = (username = 'alice', hostname = `host-${serial}`) => ({
  deviceId: `device-${++serial}`,
  hostname,
  username,
});

/** Registers as the routes do: reads the invitation with its ancestors, then registers against what it read. */
export async function register(
  deps: MemoryDeps,
  invitationId: string,
  request: Parameters<typeof registerDevice>[2] = newDevice(),
  origin: Origin = AS_RECIPIENT,
): Promise<Device> {
  return registerDevice(deps, (await deps.store.lineage(invitationId, request.deviceId))!, request, origin);
}
