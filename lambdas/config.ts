import { ENV } from './resources';

/** The one place functions read their environment. Values are read when first asked for. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export const config = {
  tableName: () => required(ENV.tableName),
  /** Secrets Manager secret holding the key ring (AWS). */
  keysSecretArn: () => process.env[ENV.keysSecretArn],
  /** File holding the key ring (embedded stack). */
  keysFile: () => process.env[ENV.keysFile],
  /** Public URL devices register against; derived from the request when unset. */
  registryApiUrl: () => process.env[ENV.registryApiUrl],
};
