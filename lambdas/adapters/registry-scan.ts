import type { Device } from '../domain/device';
import type { Invitation } from '../domain/invitation';
import { rfc3339 } from '../domain/time';
import type { RegistryScan as RegistryScanPort, StatusFilter } from '../ports/scan';
import type { ScanInput } from './aws/documents';
import { documents } from './clients';
import { fromItem, invitationFromItem } from './items';

type Item = Record<string, unknown>;
type Filter = Pick<
  ScanInput,
  'FilterExpression' | 'ExpressionAttributeValues' | 'ExpressionAttributeNames' | 'ProjectionExpression'
>;

/**
 * Whole-table reads for exports and audits. Each streams: one Scan page (at most 1 MB) is held at a time, and
 * the caller pulls the next item only when it has taken the last, so the table is never held in memory.
 */
export class RegistryScan implements RegistryScanPort {
  constructor(private readonly tableName: string) {}

  async *invitations(filter?: StatusFilter): AsyncGenerator<Invitation> {
    for await (const item of this.items(invitationFilter(filter))) yield invitationFromItem(item);
  }

  /**
   * Every invitation with its devices. One Scan reads both: an invitation and its devices share a partition,
   * whose items arrive together, sorted by `sk`, so `DEV#…` before `INV`. A partition's devices are kept until its
   * invitation arrives; devices whose invitation is gone (removed by the retention cleanup meanwhile) are dropped.
   */
  async *devicesWithInvitations(): AsyncGenerator<{ invitation: Invitation; devices: Device[] }> {
    let partition: unknown;
    let devices: Device[] = [];
    const filter = {
      FilterExpression: 'entity IN (:invitation, :device)',
      ExpressionAttributeValues: { ':invitation': 'invitation', ':device': 'device' },
    };
    for await (const item of this.items(filter)) {
      if (item.pk !== partition) {
        partition = item.pk;
        devices = [];
      }
      if (item.entity === 'device') devices.push(fromItem<Device>(item));
      else yield { invitation: invitationFromItem(item), devices };
    }
  }

  /** Ids of the invitations expired at `now` whose removal is not scheduled yet (no `ttl`): the cleanup's work. */
  async *expiredAwaitingRemoval(now: string): AsyncGenerator<string> {
    const filter = {
      FilterExpression: 'entity = :entity AND expiresAt <= :now AND attribute_not_exists(#ttl)',
      ProjectionExpression: 'id',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':entity': 'invitation', ':now': now },
    };
    for await (const item of this.items(filter)) yield item.id as string;
  }

  async *expiringUnannounced(now: string, until: string): AsyncGenerator<Invitation> {
    const filter = {
      FilterExpression:
        'entity = :entity AND #status = :active AND expiresAt > :now AND expiresAt <= :until AND attribute_not_exists(expiryRemindedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':entity': 'invitation', ':active': 'active', ':now': now, ':until': until },
    };
    for await (const item of this.items(filter)) yield invitationFromItem(item);
  }

  async *devicesUnseenSince(cutoff: string): AsyncGenerator<Device> {
    const filter = {
      FilterExpression: 'entity = :entity AND #status = :active AND lastSeenAt < :cutoff',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':entity': 'device', ':active': 'active', ':cutoff': cutoff },
    };
    for await (const item of this.items(filter)) yield fromItem<Device>(item);
  }

  private async *items(filter: Filter): AsyncGenerator<Item> {
    let startKey: Item | undefined;
    do {
      const page = await documents().scan({
        TableName: this.tableName,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
        ...filter,
      });
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}

function invitationFilter(filter: StatusFilter | undefined): Filter {
  const invitations = { expression: 'entity = :invitation', values: { ':invitation': 'invitation' } };
  if (!filter) return { FilterExpression: invitations.expression, ExpressionAttributeValues: invitations.values };
  const now = rfc3339(filter.now);
  if (filter.status === 'expired') {
    return {
      FilterExpression: `${invitations.expression} AND expiresAt <= :now`,
      ExpressionAttributeValues: { ...invitations.values, ':now': now },
    };
  }
  return {
    FilterExpression: `${invitations.expression} AND #status = :status AND expiresAt > :now`,
    ExpressionAttributeValues: { ...invitations.values, ':status': filter.status, ':now': now },
    ExpressionAttributeNames: { '#status': 'status' },
  };
}
