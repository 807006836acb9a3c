import { StaleState } from '../../../lambdas/ports';
import type { AuditEvent } from '../../../lambdas/domain/audit';
import type { Batch, BatchCounts, StoredRowResult } from '../../../lambdas/domain/batch';
import type { Spending } from '../../../lambdas/domain/delegation';
import type { Device } from '../../../lambdas/domain/device';
import type { Invitation } from '../../../lambdas/domain/invitation';
import type { Job } from '../../../lambdas/domain/job';
import { Interleaving } from './interleaving';

/** What a removal schedule (DynamoDB TTL, epoch seconds) leaves on a record: it stays readable, as in DynamoDB. */
export interface Expiring {
  ttl?: number;
}

export interface StoredInvitation extends Expiring {
  value: Invitation;
  version: number;
}

export interface StoredToken extends Expiring {
  invitationId: string;
  ancestors?: string[];
}

export interface StoredIdempotency extends Expiring {
  requestHash: string;
  invitationId: string;
  notes: string[];
}

/** A batch's counts record: its counts and `settled`, their sum. */
export interface StoredCounts extends BatchCounts {
  settled: number;
}

/** One condition of a write and what it changes once every condition of the write holds. */
export interface Step {
  holds: () => boolean;
  apply?: () => void;
}

/**
 * The records every in-memory port shares, as one DynamoDB table pair would hold them. A write is a list of steps:
 * all conditions are checked, then all changes applied, with nothing in between (TransactWriteItems: all or
 * nothing); a condition that no longer holds is `StaleState`, as the real adapter says it.
 */
export class MemoryTables {
  readonly invitations = new Map<string, StoredInvitation>();
  /** Devices and acceptances by invitation id: the items that share the invitation's partition. */
  readonly devices = new Map<string, Map<string, Device & Expiring>>();
  readonly acceptances = new Map<string, Map<string, Record<string, unknown> & Expiring>>();
  readonly tokens = new Map<string, StoredToken>();
  readonly idempotency = new Map<string, StoredIdempotency>();
  readonly jobs = new Map<string, Job>();
  /** Batch records without their counts, which live apart (`batchCounts`), as in the table. */
  readonly batches = new Map<string, Omit<Batch, keyof BatchCounts> & { eventPublished?: true }>();
  readonly batchCounts = new Map<string, StoredCounts>();
  /** Recorded chunks by batch id, then chunk number. */
  readonly chunks = new Map<string, Map<number, StoredRowResult[]>>();
  /** The batch a dropped file started, by its marker. */
  readonly drops = new Map<string, string>();
  readonly audit = new Map<string, AuditEvent>();
  readonly interleaving = new Interleaving();
  /** Writes that landed, by operation name, in order: what a test counts. */
  readonly commits: string[] = [];

  /** A read: yields first, so concurrent use cases interleave as they would against a service. */
  async read<T>(read: () => T): Promise<T> {
    await Promise.resolve();
    return structuredClone(read());
  }

  async write(operation: string, subject: string, steps: Step[]): Promise<void> {
    await this.interleaving.pass(operation, subject);
    if (!steps.every((step) => step.holds())) throw new StaleState(operation);
    for (const step of steps) step.apply?.();
    this.commits.push(operation);
  }

  /** A write whose failed condition is an answer, not an error: false when it did not land. */
  async landed(operation: string, subject: string, steps: Step[]): Promise<boolean> {
    try {
      await this.write(operation, subject, steps);
      return true;
    } catch (error) {
      if (error instanceof StaleState) return false;
      throw error;
    }
  }

  partition<K, T>(store: Map<string, Map<K, T>>, invitationId: string): Map<K, T> {
    let items = store.get(invitationId);
    if (!items) store.set(invitationId, (items = new Map()));
    return items;
  }

  /** The steps creating an invitation and its token record: puts that can only create. */
  createInvitation(invitation: Invitation): Step[] {
    const { invitations, tokens } = this;
    return [
      {
        holds: () => !invitations.has(invitation.id),
        apply: () => invitations.set(invitation.id, { value: structuredClone(invitation), version: 1 }),
      },
      {
        holds: () => !tokens.has(invitation.tokenHash),
        apply: () => tokens.set(invitation.tokenHash, tokenOf(invitation)),
      },
    ];
  }

  /** Spends units of each allowance, while that invitation is usable, (as parent) invites, and has them left. */
  spend({ spends, at }: Spending): Step[] {
    return spends.map((spend) => ({
      holds: () => {
        const stored = this.invitations.get(spend.id)?.value;
        return (
          stored !== undefined &&
          usable(stored, at) &&
          (!spend.parent || stored.canInvite) &&
          stored.descendantsCreated <= spend.maxDescendants - spend.units
        );
      },
      apply: () => (this.invitations.get(spend.id)!.value.descendantsCreated += spend.units),
    }));
  }

  /** Gives back units of each allowance, only where that spending is recorded. */
  refund(ids: readonly string[], units: number): Step[] {
    return ids.map((id) => ({
      holds: () => (this.invitations.get(id)?.value.descendantsCreated ?? -1) >= units,
      apply: () => (this.invitations.get(id)!.value.descendantsCreated -= units),
    }));
  }

  /** Holds a write to invitations all still usable at `at`; with `invites`, also allowed to invite. */
  stillUsable(ids: readonly string[], at: string, invites = false): Step[] {
    return ids.map((id) => ({
      holds: () => {
        const stored = this.invitations.get(id)?.value;
        return stored !== undefined && usable(stored, at) && (!invites || stored.canInvite);
      },
    }));
  }

  /** The step appending an audit event: a put that can only create. */
  appendAudit(event: AuditEvent): Step {
    return {
      holds: () => !this.audit.has(event.eventId),
      apply: () => this.audit.set(event.eventId, structuredClone(event)),
    };
  }
}

const usable = (invitation: Invitation, at: string) => invitation.status === 'active' && invitation.expiresAt > at;

/** The token record of an invitation: what its token hash leads to. */
export const tokenOf = (invitation: Pick<Invitation, 'id' | 'ancestors'>): StoredToken => ({
  invitationId: invitation.id,
  ...(invitation.ancestors && { ancestors: [...invitation.ancestors] }),
});
