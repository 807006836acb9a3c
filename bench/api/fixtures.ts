import type { IssuedInvitation } from '../../lambdas/views';
import type { EmbeddedStack } from '../../local/stack';
import { adminClient } from '../shared/admin-client';
import { closedLoop } from './closed-loop';
import { DEVICES_PER_INVITATION } from './phases';

const SETUP_CONCURRENCY = 8;
const SETUP_TIME_LIMIT_MS = 120_000;

/**
 * Creates `count` invitations through the administrator API (SigV4-signed, as an administrator would) and
 * returns their tokens. Transferable, so registrations under different usernames do not collide.
 */
export async function createInvitations(stack: EmbeddedStack, count: number): Promise<string[]> {
  const client = adminClient(stack);
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
