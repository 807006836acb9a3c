import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json and the function entries' paths start). */
export const projectRoot = (): string => fileURLToPath(new URL('../..', import.meta.url));

/** Where the embedded stack keeps everything: `PRISM_REGISTRY_HOME`, else `<project>/.data`. */
export function dataDir(): string {
  const configured = process.env.PRISM_REGISTRY_HOME;
  if (configured) return resolve(configured);
  return join(projectRoot(), '.data');
}

export const stackFiles = (home = dataDir()) => ({
  home,
  /** Local administrator credentials the gateway verifies SigV4 against (mode 0600). */
  credentials: join(home, 'credentials.json'),
  /** HMAC key ring, `{"currentKid": "k1", "k1": "<secret>"}` (mode 0600). */
  keys: join(home, 'keys.json'),
  /** Written while the stack runs: `{"endpoint", "pid", "startedAt"}`. */
  stack: join(home, 'stack.json'),
  dynamodb: join(home, 'dynamodb'),
  /** The DynamoDB Local process while it runs: `{"pid", "marks", "ports", "startedAt"}` (see `local/stack/leftovers.ts`). */
  dynamodbPid: join(home, 'dynamodb.pid'),
  fauxqs: join(home, 'fauxqs'),
  /** Every event put on the local event bus, one JSON object a line (see `local/events/event-log.ts`). */
  events: join(home, 'events.ndjson'),
  /**
   * How far each function fed by a table's stream has read it, `<function>.json` (see
   * `local/events/stream-checkpoints.ts`).
   */
  streams: join(home, 'streams'),
  /** The mail catcher's messages, one `.eml` file apiece (see `local/emulators/mail-catcher.ts`). */
  mail: join(home, 'mail'),
  /** The mail catcher's process while it runs, as `dynamodbPid` records DynamoDB Local's. */
  mailPid: join(home, 'mail.pid'),
});

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const DEFAULT_PORTS = {
  gateway: 4580,
  dynamodb: 4581,
  fauxqs: 4582,
  events: 4583,
  /** The mail catcher's SMTP server, which the functions send to. */
  smtp: 4584,
  /** The mail catcher's web interface and REST API. */
  mailWeb: 4585,
} as const;

export type StackPorts = Record<keyof typeof DEFAULT_PORTS, number>;

/** The variables that set `npm start`'s ports. */
export const PORT_VARIABLES: Record<keyof StackPorts, string> = {
  gateway: 'PRISM_GATEWAY_PORT',
  dynamodb: 'PRISM_DYNAMODB_PORT',
  fauxqs: 'PRISM_FAUXQS_PORT',
  events: 'PRISM_EVENTS_PORT',
  smtp: 'PRISM_SMTP_PORT',
  mailWeb: 'PRISM_MAIL_WEB_PORT',
};

export const DEFAULT_ENDPOINT = `http://127.0.0.1:${DEFAULT_PORTS.gateway}`;
