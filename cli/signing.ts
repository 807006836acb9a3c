import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CliError } from './errors';

export interface SigningIdentity {
  region: string;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Returns the headers to send: the request's own plus `host`, `x-amz-date`, `x-amz-content-sha256`, `authorization`. */
export type RequestSigner = (request: SignableRequest, signingDate?: Date) => Promise<Record<string, string>>;

/**
 * The signer encodes each path segment once, as API Gateway (execute-api) canonicalises it, so it is given the
 * path decoded.
 */
const decodedPath = (url: URL) => url.pathname.split('/').map(decodeURIComponent).join('/');

/** SigV4 for API Gateway (`execute-api`), the administrator routes' authorization (docs/SPEC.md §4.1). */
export function createSigner(identity: SigningIdentity): RequestSigner {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: identity.region,
    credentials: identity.credentials,
    sha256: Sha256,
  });
  return async ({ method, url, headers, body }, signingDate) => {
    try {
      const signed = await signer.sign(
        {
          method,
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port ? Number(url.port) : undefined,
          path: decodedPath(url),
          query: Object.fromEntries(url.searchParams),
          headers: { ...headers, host: url.host },
          body,
        },
        { signingDate },
      );
      return signed.headers;
    } catch (error) {
      throw new CliError(`cannot sign the request: ${(error as Error).message}`, 'no_credentials');
    }
  };
}
