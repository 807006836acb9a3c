import { fromEnv } from '@aws-sdk/credential-providers';

/**
 * Stands in for `@aws-sdk/credential-provider-node`'s default chain in the Lambda bundles (an esbuild alias, set in
 * lib/constructs/registry-function.ts). Lambda hands a function its role's credentials in the environment, the
 * first place the default chain looks; the rest of the chain (profiles, SSO, web identity, instance metadata) can
 * never apply there and weighs about 130 KiB. Unbundled, in tests and the embedded stack, the default chain stays.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
