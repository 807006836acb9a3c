import type { Delivery, MailMessage } from '../../../lambdas/domain/delivery';
import type { AuditEvent } from '../../../lambdas/domain/audit';
import type { Invitation } from '../../../lambdas/domain/invitation';
import type { Spending } from '../../../lambdas/domain/delegation';
import {
  type Device,
  type DeviceRefresh,
  type ReportedDevice,
  type Revocation,
  refreshedDevice,
} from '../../../lambdas/domain/device';
import type { Ancestor } from '../../../lambdas/domain/lineage';
import type {
  AcceptanceRecord,
  DeviceRevocationOptions,
  Expiry,
  IdempotencyRecord,
  InvitationFilter,
  InvitationRepository,
  Lineage,
  Page,
  Versioned,
} from '../../../lambdas/ports';
import { decodeCursor, encodeCursor } from '../../../lambdas/ports/cursor';
import { type Expiring, type MemoryTables, type Step, tokenOf } from './tables';

type Clock = () => Date;

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const byKey = <T>(entries: Map<string, T>): T[] =>
  [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
const isAfter = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

/** The registry's records in memory, with the conditional writes of the DynamoDB adapter. */
export class MemoryRegistryStore implements InvitationRepository {
  constructor(
    private readonly tables: MemoryTables,
    /** What "now" is to the idempotency records' expiry. */
    private readonly now: Clock = () => new Date(),
  ) {}

  getInvitation(id: string): Promise<Versioned<Invitation> | undefined> {
    return this.tables.read(() => this.versioned(id));
  }

  async lineageForToken(tokenHash: string, deviceId?: string): Promise<Lineage | undefined> {
    const token = await this.tables.read(() => this.tables.tokens.get(tokenHash));
    return token && this.readLineage(token.invitationId, token.ancestors, deviceId);
  }

  lineage(invitationId: string, deviceId?: string): Promise<Lineage | undefined> {
    return this.readLineage(invitationId, undefined, deviceId);
  }

  async ancestorsOf(invitation: Pick<Invitation, 'ancestors' | 'parentId'>): Promise<Ancestor[]> {
    return this.tables.read(() => this.ancestorsNow(invitation));
  }

  invitationIdForToken(tokenHash: string): Promise<string | undefined> {
    return this.tables.read(() => this.tables.tokens.get(tokenHash)?.invitationId);
  }

  getDevice(invitationId: string, deviceId: string): Promise<Device | undefined> {
    return this.tables.read(() => this.device(invitationId, deviceId));
  }

  listDevices(invitationId: string): Promise<Device[]> {
    return this.tables.read(() =>
      byKey(this.tables.devices.get(invitationId) ?? new Map<string, Device & Expiring>()).map(withoutTtl),
    );
  }

  createInvitation(
    invitation: Invitation,
    audit: AuditEvent,
    options: { spending?: Spending; idempotency?: IdempotencyRecord } = {},
  ): Promise<void> {
    const { idempotency } = this.tables;
    const steps: Step[] = [
      ...this.tables.createInvitation(invitation),
      this.tables.appendAudit(audit),
      ...(options.spending ? this.tables.spend(options.spending) : []),
    ];
    const record = options.idempotency;
    if (record) {
      steps.push({
        holds: () => !idempotency.has(record.scopeHash),
        apply: () =>
          idempotency.set(record.scopeHash, {
            requestHash: record.requestHash,
            invitationId: record.invitationId,
            notes: [...record.notes],
            ttl: record.expiresAtEpoch,
          }),
      });
    }
    return this.tables.write('createInvitation', invitation.id, steps);
  }

  findIdempotency(scopeHash: string): Promise<IdempotencyRecord | undefined> {
    return this.tables.read(() => {
      const stored = this.tables.idempotency.get(scopeHash);
      if (!stored || stored.ttl! * 1000 < this.now().getTime()) return undefined;
      const { requestHash, invitationId, notes, ttl } = stored;
      return { scopeHash, requestHash, invitationId, notes, expiresAtEpoch: ttl! };
    });
  }

  addDevice(
    invitation: Versioned<Invitation>,
    device: Device,
    bindUsername: boolean,
    audit: AuditEvent,
    ancestorIds: readonly string[],
    at: string,
    acceptance?: AcceptanceRecord,
  ): Promise<void> {
    const devices = this.tables.partition(this.tables.devices, device.invitationId);
    return this.tables.write('addDevice', invitation.value.id, [
      ...this.tables.stillUsable(ancestorIds, at),
      this.versionedUpdate(invitation, (stored) => {
        stored.activeDevices += 1;
        if (bindUsername) stored.boundUsername = device.username;
      }),
      {
        holds: () => !devices.has(device.deviceId),
        apply: () => devices.set(device.deviceId, structuredClone(device)),
      },
      this.tables.appendAudit(audit),
      ...(acceptance ? this.acceptanceSteps(invitation.value.id, acceptance) : []),
    ]);
  }

  async touchDevice(
    invitationId: string,
    deviceId: string,
    seenAt: string,
    reported: ReportedDevice = {},
  ): Promise<Device> {
    await this.tables.write('touchDevice', invitationId, [
      this.deviceRefresh(invitationId, { deviceId, seenAt, reported }),
    ]);
    return structuredClone(withoutTtl(this.tables.devices.get(invitationId)!.get(deviceId)!));
  }

  recordSeen(device: Pick<Device, 'invitationId' | 'deviceId' | 'lastSeenAt'>, seenAt: string): Promise<boolean> {
    const stored = () => this.tables.devices.get(device.invitationId)?.get(device.deviceId);
    return this.tables.landed('recordSeen', device.invitationId, [
      {
        holds: () => stored()?.status === 'active' && stored()?.lastSeenAt === device.lastSeenAt,
        apply: () => (stored()!.lastSeenAt = seenAt),
      },
    ]);
  }

  /** The step refreshing an active device: its `lastSeenAt` and what it reports. */
  private deviceRefresh(invitationId: string, refresh: DeviceRefresh): Step {
    const device = () => this.tables.devices.get(invitationId)?.get(refresh.deviceId);
    return {
      holds: () => device()?.status === 'active',
      apply: () => Object.assign(device()!, refreshedDevice(device()!, refresh)),
    };
  }

  revokeDevices(
    invitation: Versioned<Invitation>,
    devices: Device[],
    revocation: Revocation,
    audit: AuditEvent,
    { invitationStatus, unseenSince }: DeviceRevocationOptions = {},
  ): Promise<void> {
    const remaining = invitation.value.activeDevices - devices.length;
    return this.tables.write('revokeDevices', invitation.value.id, [
      this.versionedUpdate(invitation, (stored) => {
        stored.activeDevices = remaining;
        if (!invitationStatus) return;
        Object.assign(stored, { status: invitationStatus, revokedAt: revocation.at, revokedBy: revocation.by });
        if (revocation.reason !== undefined) stored.revokeReason = revocation.reason;
        else delete stored.revokeReason;
      }),
      ...devices.map((device) => this.deviceRevocation(device, revocation, unseenSince)),
      this.tables.appendAudit(audit),
    ]);
  }

  recordExpiryReminder(invitationId: string, at: string, audit: AuditEvent, delivery?: Delivery): Promise<boolean> {
    const stored = () => this.tables.invitations.get(invitationId)?.value;
    return this.tables.landed('recordExpiryReminder', invitationId, [
      {
        holds: () => stored()?.status === 'active' && stored()?.expiryRemindedAt === undefined,
        apply: () =>
          Object.assign(stored()!, { expiryRemindedAt: at }, delivery && { delivery: structuredClone(delivery) }),
      },
      this.tables.appendAudit(audit),
    ]);
  }

  claimDelivery(invitationId: string, message: MailMessage, at: string, staleBefore: string): Promise<boolean> {
    const delivery = () => this.tables.invitations.get(invitationId)?.value.delivery;
    return this.tables.landed('claimDelivery', invitationId, [
      {
        holds: () => {
          const current = delivery();
          return (
            current?.status === 'queued' &&
            current.kind === message.kind &&
            current.tokenGeneration === message.tokenGeneration &&
            (current.claimedAt === undefined || current.claimedAt < staleBefore)
          );
        },
        apply: () => (delivery()!.claimedAt = at),
      },
    ]);
  }

  recordDelivery(
    invitationId: string,
    delivery: Delivery,
    audit?: AuditEvent,
    onlyIf?: { messageId: string },
  ): Promise<boolean> {
    const stored = () => this.tables.invitations.get(invitationId)?.value;
    return this.tables.landed('recordDelivery', invitationId, [
      {
        holds: () => stored() !== undefined && (!onlyIf || stored()!.delivery?.messageId === onlyIf.messageId),
        apply: () => (stored()!.delivery = structuredClone(delivery)),
      },
      ...(audit ? [this.tables.appendAudit(audit)] : []),
    ]);
  }

  rotateToken(
    invitation: Versioned<Invitation>,
    next: Pick<Invitation, 'tokenGeneration' | 'keyId' | 'tokenHint' | 'tokenHash' | 'delivery'>,
    oldTokenHash: string,
    audit: AuditEvent,
  ): Promise<void> {
    const { tokens } = this.tables;
    return this.tables.write('rotateToken', invitation.value.id, [
      this.versionedUpdate(invitation, (stored) => {
        Object.assign(stored, structuredClone(next), { status: 'active' });
        delete stored.revokedAt;
        delete stored.revokedBy;
        delete stored.revokeReason;
      }),
      { holds: () => true, apply: () => tokens.delete(oldTokenHash) },
      {
        holds: () => !tokens.has(next.tokenHash),
        apply: () => tokens.set(next.tokenHash, tokenOf(invitation.value)),
      },
      this.tables.appendAudit(audit),
    ]);
  }

  recordAcceptance(
    invitationId: string,
    acceptance: AcceptanceRecord,
    usable: { ids: readonly string[]; at: string },
    refresh?: DeviceRefresh,
  ): Promise<void> {
    return this.tables.write('recordAcceptance', invitationId, [
      ...this.tables.stillUsable(usable.ids, usable.at),
      ...(refresh ? [this.deviceRefresh(invitationId, refresh)] : []),
      ...this.acceptanceSteps(invitationId, acceptance),
    ]);
  }

  /** The steps recording an acceptance and appending its event. */
  private acceptanceSteps(invitationId: string, { acceptanceId, details, audit }: AcceptanceRecord): Step[] {
    const acceptances = this.tables.partition(this.tables.acceptances, invitationId);
    return [
      { holds: () => true, apply: () => acceptances.set(acceptanceId, { invitationId, ...structuredClone(details) }) },
      this.tables.appendAudit(audit),
    ];
  }

  async scheduleDependentsRemoval(invitation: Invitation, removeAfter: Date): Promise<void> {
    const ttl = epochSeconds(removeAfter);
    const { devices, acceptances, tokens } = this.tables;
    await this.tables.write('scheduleDependentsRemoval', invitation.id, [
      {
        holds: () => true,
        apply: () => {
          const token = tokens.get(invitation.tokenHash);
          const dependents = [
            ...(devices.get(invitation.id)?.values() ?? []),
            ...(acceptances.get(invitation.id)?.values() ?? []),
            ...(token ? [token] : []),
          ];
          for (const item of dependents) item.ttl = ttl;
        },
      },
    ]);
  }

  closeExpired(invitation: Versioned<Invitation>, removeAfter: Date, expiry?: Expiry): Promise<void> {
    const steps: Step[] = [
      this.versionedUpdate(
        invitation,
        (stored) => {
          if (!expiry) return;
          stored.expiredMarkedAt = expiry.revocation.at;
          stored.activeDevices = invitation.value.activeDevices - expiry.devices.length;
        },
        epochSeconds(removeAfter),
      ),
    ];
    if (expiry) {
      steps.push(
        ...expiry.devices.map((device) => this.deviceRevocation(device, expiry.revocation)),
        this.tables.appendAudit(expiry.audit),
      );
    }
    return this.tables.write('closeExpired', invitation.value.id, steps);
  }

  childIds(parentId: string): Promise<string[]> {
    return this.tables.read(() => this.childrenOf(parentId));
  }

  childIdsAfter(parentId: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.tables.read(() =>
      this.childrenOf(parentId)
        .filter((id) => after === undefined || id > after)
        .slice(0, limit),
    );
  }

  /** Under a parent in id order, under a batch in row order, otherwise in key (id) order; a cursor after the last. */
  async listInvitations(
    filter: InvitationFilter,
    limit: number,
    cursor: string | undefined,
    now: string,
  ): Promise<Page<Invitation>> {
    const start = decodeCursor(cursor, isAfter)?.after;
    return this.tables.read(() => {
      const all = byKey(this.tables.invitations).map(({ value }) => value);
      const owned = filter.parentId
        ? all.filter((invitation) => invitation.parentId === filter.parentId)
        : filter.batchId
          ? all
              .filter((invitation) => invitation.batchId === filter.batchId)
              .sort((a, b) => (a.batchRow ?? 0) - (b.batchRow ?? 0))
          : all;
      const matching = owned.filter((invitation) => matches(invitation, filter, now));
      const from = start === undefined ? 0 : matching.findIndex((invitation) => invitation.id === start) + 1;
      const items = matching.slice(from, from + limit);
      const more = from + limit < matching.length;
      return { items, ...(more && { cursor: encodeCursor({ after: items[items.length - 1]!.id }) }) };
    });
  }

  private async readLineage(id: string, knownAncestors: string[] | undefined, deviceId?: string) {
    return this.tables.read((): Lineage | undefined => {
      const invitation = this.versioned(id);
      if (!invitation) return undefined;
      const device = deviceId === undefined ? undefined : this.device(id, deviceId);
      const ancestors =
        knownAncestors?.map((ancestorId) => this.ancestor(ancestorId)) ?? this.ancestorsNow(invitation.value);
      return { invitation, ancestors, ...(device && { device }) };
    });
  }

  private ancestorsNow(invitation: Pick<Invitation, 'ancestors' | 'parentId'>): Ancestor[] {
    if (invitation.ancestors) return invitation.ancestors.map((id) => this.ancestor(id));
    const chain: Ancestor[] = [];
    for (let parentId = invitation.parentId; parentId !== undefined;) {
      const parent = this.ancestor(parentId);
      chain.push(parent);
      parentId = parent.invitation?.parentId;
    }
    return chain;
  }

  private ancestor(id: string): Ancestor {
    const stored = this.tables.invitations.get(id);
    return { id, ...(stored && { invitation: stored.value }) };
  }

  private versioned(id: string): Versioned<Invitation> | undefined {
    const stored = this.tables.invitations.get(id);
    return stored && { value: stored.value, version: stored.version };
  }

  private device(invitationId: string, deviceId: string): Device | undefined {
    const stored = this.tables.devices.get(invitationId)?.get(deviceId);
    return stored && withoutTtl(stored);
  }

  private childrenOf(parentId: string): string[] {
    return byKey(this.tables.invitations)
      .filter(({ value }) => value.parentId === parentId)
      .map(({ value }) => value.id);
  }

  /** A change of the invitation that lands only on the version it was planned from, and moves the version on. */
  private versionedUpdate(invitation: Versioned<Invitation>, change: (stored: Invitation) => void, ttl?: number): Step {
    const stored = () => this.tables.invitations.get(invitation.value.id);
    return {
      holds: () => stored()?.version === invitation.version,
      apply: () => {
        const record = stored()!;
        change(record.value);
        record.version += 1;
        if (ttl !== undefined) record.ttl = ttl;
      },
    };
  }

  private deviceRevocation(device: Device, revocation: Revocation, unseenSince?: string): Step {
    const stored = () => this.tables.devices.get(device.invitationId)?.get(device.deviceId);
    return {
      holds: () => stored()?.status === 'active' && (unseenSince === undefined || stored()!.lastSeenAt < unseenSince),
      apply: () =>
        Object.assign(stored()!, {
          status: 'revoked',
          revokedAt: revocation.at,
          revokedBy: revocation.by,
          ...(revocation.reason !== undefined && { revokeReason: revocation.reason }),
        }),
    };
  }
}

function withoutTtl<T extends Expiring>(item: T): Omit<T, 'ttl'> {
  const { ttl: _ttl, ...rest } = item;
  return rest;
}

function matches(invitation: Invitation, filter: InvitationFilter, now: string): boolean {
  if (filter.roots && invitation.parentId !== undefined) return false;
  if (filter.type && invitation.type !== filter.type) return false;
  if (filter.namePrefix && !invitation.name.startsWith(filter.namePrefix)) return false;
  if (filter.status === 'expired') return invitation.expiresAt <= now;
  if (filter.status) return invitation.status === filter.status && invitation.expiresAt > now;
  return true;
}
