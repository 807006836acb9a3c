import type { IssuedInvitation } from '../../lambdas/contract/views';
import type { EmbeddedStack } from '../../local/stack/stack';
import { adminClient } from '../shared/admin-client';
import { closedLoop } from './closed-loop';
import { DEVICES_PER_INVITATION } from './phases';

const SETUP_CONCURRENCY = 8;
const SETUP_TIME_LIMIT_MS = 120_000;

/** How deep below a root the benchmarked invitations sit: each use reads and checks this many ancestors. */
const DEPTH = 2;

/**
 * Creates `count` invitations through the administrator API (SigV4-signed, as an administrator would) and
 * returns their tokens. Transferable, so registrations under different usernames do not collide. They sit
 * DEPTH levels below a root, as an organisation's members do, so every registration and validation also
 * reads and checks their ancestors (docs/SPEC.md §3.7).
 */
export async function createInvitations(stack: EmbeddedStack, count: number): Promise<string[]> {
  const client = adminClient(stack);
  let parentId: string | undefined;
  for (let level = 0; level < DEPTH; level++) {
    const ancestor: IssuedInvitation = await client.admin<IssuedInvitation>({
      method: 'POST',
      path: '/invitations',
      body: {
        name: `bench level ${level}`,
        type: 'admin',
        maxDevices: DEVICES_PER_INVITATION,
        transferable: true,
        maxDescendants: 1_000_000,
        ...(parentId && { parentId }),
      },
    });
    parentId = ancestor.invitation.id;
  }
  const tokens: string[] = [];
  const { failures } = await closedLoop(
    { concurrency: SETUP_CONCURRENCY, requests: count, timeLimitMs: SETUP_TIME_LIMIT_MS },
    async () => {
      const issued = await client.admin<IssuedInvitation>({
        method: 'POST',
        path: '/invitations',
        body: {
          name: `bench ${tokens.length}`,
          type: 'read_only',
          maxDevices: DEVICES_PER_INVITATION,
          transferable: true,
          parentId,
        },
      });
      tokens.push(issued.token);
      return undefined;
    },
  );
  if (tokens.length < count) {
    throw new Error(`created ${tokens.length} of ${count} invitations: ${failures.slice(0, 3).join('; ')}`);
  }
  return tokens;
}
