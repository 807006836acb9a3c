import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What keeps the console to its administrator (docs/CONSOLE.md): the server answers only on loopback; a secret in
 * the URL it prints opens a session, held in an HttpOnly SameSite=Strict cookie; the Host header must name the
 * console itself (a DNS-rebound name does not), and a request that carries an Origin, as every request that
 * changes something does, must come from the console's own page.
 */

export const SESSION_COOKIE = 'prism_console_session';

/** The Content-Security-Policy of every answer: the page's own files only, no inline script or style. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Headers every answer carries, whatever it is. No Access-Control-* header is ever sent: no CORS. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export type Refusal = { status: 401 | 403; code: string; message: string };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ConsoleGuard {
  /** Given once, in the URL the command prints: exchanged for the cookie. */
  readonly openingSecret = randomBytes(32).toString('base64url');
  private readonly sessionValue = randomBytes(32).toString('base64url');
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(port: number) {
    const names = [`127.0.0.1:${port}`, `localhost:${port}`];
    this.hosts = new Set(names);
    this.origins = new Set(names.map((name) => `http://${name}`));
  }

  /** The URL that opens a session: the only place the opening secret appears. */
  openingUrl(origin: string): string {
    return `${origin}/open?secret=${this.openingSecret}`;
  }

  /** Refuses a request from another host name or another site, before anything else is looked at. */
  checkPlace(method: string, headers: IncomingHttpHeaders): Refusal | undefined {
    if (!headers.host || !this.hosts.has(headers.host.toLowerCase())) {
      return {
        status: 403,
        code: 'foreign_host',
        message: 'this console answers only at the address it printed (127.0.0.1 or localhost with its port)',
      };
    }
    const origin = headers.origin;
    if (origin !== undefined ? !this.origins.has(origin.toLowerCase()) : STATE_CHANGING.has(method)) {
      return { status: 403, code: 'foreign_origin', message: 'requests from other sites are refused' };
    }
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return { status: 403, code: 'foreign_origin', message: 'requests from other sites are refused' };
    }
    return undefined;
  }

  /** Whether `given` is the opening secret, compared in constant time. */
  opens(given: string | null): boolean {
    return given !== null && sameSecret(given, this.openingSecret);
  }

  /** The Set-Cookie header that holds the session. */
  sessionCookie(): string {
    return `${SESSION_COOKIE}=${this.sessionValue}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Refuses a request without the session's cookie. */
  checkSession(headers: IncomingHttpHeaders): Refusal | undefined {
    const value = cookieValue(headers.cookie, SESSION_COOKIE);
    if (value !== undefined && sameSecret(value, this.sessionValue)) return undefined;
    return {
      status: 401,
      code: 'no_session',
      message: 'no console session: open the URL that `prism-registry console` printed',
    };
  }
}

/** Hashed first, so the comparison takes the same time whatever the lengths. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === name) return pair.slice(equals + 1).trim();
  }
  return undefined;
}
