import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { S3Settings } from './rest-client';

/** The standard variables naming S3's endpoint, the first one set winning. */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'] as const;

function endpointOf(env: NodeJS.ProcessEnv, region: string): string {
  const variable = ENDPOINT_VARIABLES.find((name) => env[name]);
  if (!variable) return `https://s3.${region}.amazonaws.com`;
  const endpoint = env[variable]!;
  const protocol = URL.canParse(endpoint) && new URL(endpoint).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${variable} is not an http(s) URL: ${endpoint}`);
  return endpoint;
}

/**
 * Where and as whom to reach S3, as the SDK's clients find it: the endpoint in `AWS_ENDPOINT_URL_S3`, else
 * `AWS_ENDPOINT_URL` (the embedded stack sets them), else S3's own in `AWS_REGION`; the credentials of the SDK's
 * default chain, which a Lambda bundle replaces by the environment's (`lambda-credentials.ts`).
 */
export function s3SettingsFrom(env: NodeJS.ProcessEnv): S3Settings {
  const region = env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set: S3 requests are signed for a region');
  return { endpoint: endpointOf(env, region), region, credentials: defaultProvider() };
}
