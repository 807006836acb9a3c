import { StaleState } from '../ports';
import { RegistryError } from '../domain/errors';

const MAX_ATTEMPTS = 30;

/**
 * Runs read → plan → conditional write until the write lands on the state it was planned from.
 * A loser of a race reads again and re-plans, so it ends either applied or refused with the rule
 * the new state breaks (e.g. 20 registrations against maxDevices 3: three land, seventeen are told
 * "Maximum devices reached").
 */
export async function optimistic<T>(attempt: () => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StaleState)) throw error;
      if (round >= MAX_ATTEMPTS) {
        throw new RegistryError(409, 'concurrent_update', 'Too many concurrent changes to this invitation; retry');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * round)));
    }
  }
}
