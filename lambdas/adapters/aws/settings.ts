import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Where and as whom to reach one AWS service. */
export interface AwsSettings {
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** An AWS service as its requests name it. */
export interface AwsService {
  /** The name its requests are signed for (`dynamodb`, `s3`, `events`…). */
  signingName: string;
  /** Its part of the standard endpoint variable, `AWS_ENDPOINT_URL_<id>` (`DYNAMODB`, `SECRETS_MANAGER`…). */
  endpointId: string;
  /** Its regional endpoint's first label, `https://<host>.<region>.amazonaws.com`. */
  host: string;
}

function endpointOf(env: NodeJS.ProcessEnv, { endpointId, host }: AwsService, region: string): string {
  const variable = [`AWS_ENDPOINT_URL_${endpointId}`, 'AWS_ENDPOINT_URL'].find((name) => env[name]);
  if (!variable) return `https://${host}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  const endpoint = env[variable]!;
  const protocol = URL.canParse(endpoint) && new URL(endpoint).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${variable} is not an http(s) URL: ${endpoint}`);
  return endpoint;
}

let credentials: AwsCredentialIdentityProvider | undefined;

/**
 * Where and as whom to reach `service`, as the SDK's clients find it: the endpoint in `AWS_ENDPOINT_URL_<SERVICE>`,
 * else `AWS_ENDPOINT_URL` (the embedded stack sets them), else the service's own in `AWS_REGION`; the credentials of
 * the SDK's default chain, one for every service of the process, which a Lambda bundle replaces by the
 * environment's (`lambda-credentials.ts`).
 */
export function awsSettingsFrom(env: NodeJS.ProcessEnv, service: AwsService): AwsSettings {
  const region = env.AWS_REGION;
  if (!region) throw new Error(`AWS_REGION is not set: ${service.signingName} requests are signed for a region`);
  credentials ??= defaultProvider();
  return { endpoint: endpointOf(env, service, region), region, credentials };
}
