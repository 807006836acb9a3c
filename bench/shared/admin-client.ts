import { RegistryClient } from '../../cli/http';
import { createSigner } from '../../cli/signing';
import type { EmbeddedStack } from '../../local/stack/stack';

/** The CLI's own API client, signing administrator calls (SigV4) with the stack's local credentials. */
export function adminClient(stack: EmbeddedStack): RegistryClient {
  const { accessKeyId, secretAccessKey, region } = stack.credentials;
  return new RegistryClient(
    new URL(stack.endpoint),
    createSigner({ region, credentials: { accessKeyId, secretAccessKey } }),
  );
}
