import type { RegistryScan, StatusFilter } from '../../../lambdas/ports';
import { type Device, unseenSince } from '../../../lambdas/domain/device';
import { type Invitation, effectiveStatus } from '../../../lambdas/domain/invitation';
import type { MemoryTables } from './tables';

/**
 * Whole-table reads in memory, in key order. Each streams as the Scan does: the ids are taken when it starts and
 * each record is read only when the caller pulls it, so changes made meanwhile are seen and removed records skipped.
 */
export class MemoryRegistryScan implements RegistryScan {
  constructor(private readonly tables: MemoryTables) {}

  async *invitations(filter?: StatusFilter): AsyncGenerator<Invitation> {
    for await (const invitation of this.each()) {
      if (!filter || effectiveStatus(invitation, filter.now) === filter.status) yield invitation;
    }
  }

  async *devicesWithInvitations(): AsyncGenerator<{ invitation: Invitation; devices: Device[] }> {
    for await (const invitation of this.each()) {
      const devices = await this.tables.read(() =>
        [...(this.tables.devices.get(invitation.id)?.values() ?? [])]
          .sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))
          .map(({ ttl: _ttl, ...device }) => device),
      );
      yield { invitation, devices };
    }
  }

  async *expiredAwaitingRemoval(now: string): AsyncGenerator<string> {
    for (const id of this.ids()) {
      const stored = await this.tables.read(() => this.tables.invitations.get(id));
      if (stored && stored.value.expiresAt <= now && stored.ttl === undefined) yield id;
    }
  }

  async *expiringUnannounced(now: string, until: string): AsyncGenerator<Invitation> {
    for await (const invitation of this.each()) {
      const { status, expiresAt, expiryRemindedAt } = invitation;
      if (status === 'active' && expiresAt > now && expiresAt <= until && expiryRemindedAt === undefined) {
        yield invitation;
      }
    }
  }

  async *devicesUnseenSince(cutoff: string): AsyncGenerator<Device> {
    for await (const { devices } of this.devicesWithInvitations()) {
      yield* devices.filter((device) => unseenSince(device, cutoff));
    }
  }

  private async *each(): AsyncGenerator<Invitation> {
    for (const id of this.ids()) {
      const stored = await this.tables.read(() => this.tables.invitations.get(id));
      if (stored) yield stored.value;
    }
  }

  private ids(): string[] {
    return [...this.tables.invitations.keys()].sort();
  }
}
