import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'constructs';
import { MAIL_KINDS, parseTemplate } from '../lambdas/domain/delivery';
import { LAST_SEEN_INTERVAL_LIMITS, STALE_DEVICE_DAYS } from '../lambdas/domain/device';
import { EXPIRY_REMINDER_DAYS, LIMITS } from '../lambdas/domain/invitation';
import { registryUrlProblem } from '../lambdas/domain/registry-url';
import { MAX_CONCURRENCY_RANGE } from './constructs/batch-pipeline';
import { DEFAULT_FIREWALL, RATE_LIMIT, type FirewallSettings } from './constructs/firewall';
import type { MailSettings } from './constructs/mail';
import { DEFAULT_MAIL_TEMPLATES } from './constructs/registry-function';
import {
  AUDIT_ARCHIVE_LOCK_MODES,
  MAX_AUDIT_ARCHIVE_RETENTION_DAYS,
  type AuditArchiveLock,
} from './constructs/storage';
import type { ThrottleLimits } from './constructs/throttling';
import type { RegistryStackProps } from './registry-stack';
import { SCHEDULES_CONTEXT_KEY, scheduleSettings } from './schedule-context';

interface Bounds {
  min: number;
  max?: number;
}

/** A whole-number context value; `-c key=value` hands values over as strings. */
function wholeNumber(node: Node, key: string, { min, max }: Bounds): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= (max ?? Infinity)) {
    return number;
  }
  const range = max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
  throw new Error(`Context value ${key} must be a whole number ${range}, got ${JSON.stringify(value)}`);
}

// Enough to catch a typo or a missing domain; SNS, or SES for a sender, confirms the address itself.
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emailAddress(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && EMAIL_ADDRESS.test(value)) return value;
  throw new Error(`Context value ${key} must be an email address, got ${JSON.stringify(value)}`);
}

/** A true/false context value; `-c key=value` hands values over as strings. */
function flag(node: Node, key: string): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context value ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/** The audit archive's Object Lock mode, in either case: `GOVERNANCE` or `COMPLIANCE`. */
function lockMode(node: Node, key: string): AuditArchiveLock['mode'] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  const mode = AUDIT_ARCHIVE_LOCK_MODES.find((known) => typeof value === 'string' && value.toUpperCase() === known);
  if (mode) return mode;
  throw new Error(
    `Context value ${key} must be ${AUDIT_ARCHIVE_LOCK_MODES.join(' or ')}, got ${JSON.stringify(value)}`,
  );
}

function throttle(node: Node, rateKey: string, burstKey: string): Partial<ThrottleLimits> {
  return {
    rateLimit: wholeNumber(node, rateKey, { min: 1 }),
    burstLimit: wholeNumber(node, burstKey, { min: 1 }),
  };
}

/** The context value setting each firewall limit. */
const FIREWALL_LIMITS: Record<keyof FirewallSettings, string> = {
  requestsPer5Minutes: 'wafRequestsPer5Minutes',
  recipientRequestsPer5Minutes: 'wafRecipientRequestsPer5Minutes',
};

/**
 * The firewall: on unless `waf=false`, its rate limits per client address from `wafRequestsPer5Minutes` (all
 * routes) and `wafRecipientRequestsPer5Minutes` (the recipient routes), DEFAULT_FIREWALL's where not given.
 */
function firewall(node: Node): RegistryStackProps['firewall'] {
  const limit = (setting: keyof FirewallSettings) =>
    wholeNumber(node, FIREWALL_LIMITS[setting], RATE_LIMIT) ?? DEFAULT_FIREWALL[setting];
  if (flag(node, 'waf') === false) {
    const given = Object.values(FIREWALL_LIMITS).filter((key) => node.tryGetContext(key) !== undefined);
    if (given.length > 0) {
      throw new Error(`Context value ${given.join(' and ')} needs the firewall, which waf=false turns off`);
    }
    return false;
  }
  return {
    requestsPer5Minutes: limit('requestsPer5Minutes'),
    recipientRequestsPer5Minutes: limit('recipientRequestsPer5Minutes'),
  };
}

/** The URL devices register against behind a custom domain: https, ending in `/registry`. */
function registryApiUrl(node: Node): string | undefined {
  const value: unknown = node.tryGetContext('registryApiUrl');
  if (value === undefined) return undefined;
  const problem = typeof value === 'string' ? registryUrlProblem(value, ['https:']) : 'must be a URL';
  if (problem === undefined) return value as string;
  throw new Error(`Context value registryApiUrl ${problem}, got ${JSON.stringify(value)}`);
}

/** Whether mail from `address` is sent as SES identity `identity`: the address itself, or a domain it belongs to. */
function sendsAs(address: string, identity: string): boolean {
  const [lowerAddress, lowerIdentity] = [address.toLowerCase(), identity.toLowerCase()];
  const domain = lowerAddress.slice(lowerAddress.lastIndexOf('@') + 1);
  return lowerIdentity === lowerAddress || lowerIdentity === domain || domain.endsWith(`.${lowerIdentity}`);
}

/**
 * E-mail delivery through SES: `mailFrom`, the From address, and `sesIdentity`, the verified identity it sends as
 * (the address, or a domain it belongs to; by default its own domain). Without `mailFrom` e-mail is off.
 */
function mail(node: Node): MailSettings | undefined {
  const from = emailAddress(node, 'mailFrom');
  const identity: unknown = node.tryGetContext('sesIdentity');
  if (from === undefined) {
    if (identity === undefined) return undefined;
    throw new Error('Context value sesIdentity needs mailFrom, the address e-mail is sent from');
  }
  if (identity === undefined) return { from, sesIdentity: from.slice(from.lastIndexOf('@') + 1) };
  if (typeof identity === 'string' && sendsAs(from, identity)) return { from, sesIdentity: identity };
  throw new Error(
    `Context value sesIdentity must be mailFrom (${from}) or a domain it belongs to, got ${JSON.stringify(identity)}`,
  );
}

/** `folder`, once each kind of mail has its template there and each parses; else what is wrong, said by `setting`. */
function checkedTemplates(folder: string, setting: string): string {
  for (const kind of MAIL_KINDS) {
    const file = join(folder, `${kind}.txt`);
    let template: string;
    try {
      template = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`${setting} (${folder}) has no ${kind}.txt`);
    }
    try {
      parseTemplate(template, file);
    } catch (error) {
      throw new Error(`${setting}: ${(error as Error).message}`);
    }
  }
  return folder;
}

/**
 * The folder of mail templates the mailer carries: `mailTemplates`, else the project's. A missing or broken template
 * stops the synth, rather than failing every message once deployed.
 */
function mailTemplates(node: Node): string {
  const value: unknown = node.tryGetContext('mailTemplates');
  if (value === undefined) return checkedTemplates(DEFAULT_MAIL_TEMPLATES, 'The mail templates');
  if (typeof value === 'string' && value.trim() !== '') return checkedTemplates(value, 'Context value mailTemplates');
  throw new Error(`Context value mailTemplates must be a folder, got ${JSON.stringify(value)}`);
}

/** The stack settings a deployment chooses with context values (`cdk.json` or `-c key=value`). */
export const registryStackPropsFromContext = (node: Node): RegistryStackProps => ({
  stageName: node.tryGetContext('stageName'),
  batchConcurrency: wholeNumber(node, 'batchConcurrency', MAX_CONCURRENCY_RANGE),
  batchLimits: {
    maxRows: wholeNumber(node, 'batchMaxRows', { min: 1 }),
    maxBytes: wholeNumber(node, 'batchMaxBytes', { min: 1 }),
  },
  retentionDays: wholeNumber(node, 'retentionDays', { min: 1 }),
  auditArchiveLock: {
    mode: lockMode(node, 'auditArchiveLockMode'),
    retentionDays: wholeNumber(node, 'auditArchiveRetentionDays', { min: 1, max: MAX_AUDIT_ARCHIVE_RETENTION_DAYS }),
  },
  defaultMaxDescendants: wholeNumber(node, 'defaultMaxDescendants', LIMITS.maxDescendants),
  lastSeenIntervalSeconds: wholeNumber(node, 'lastSeenIntervalSeconds', LAST_SEEN_INTERVAL_LIMITS),
  expiryReminderDays: wholeNumber(node, 'expiryReminderDays', EXPIRY_REMINDER_DAYS),
  staleDeviceDays: wholeNumber(node, 'staleDeviceDays', STALE_DEVICE_DAYS),
  sourceMaps: flag(node, 'sourceMaps'),
  alarmEmail: emailAddress(node, 'alarmEmail'),
  schedules: scheduleSettings(node.tryGetContext(SCHEDULES_CONTEXT_KEY)),
  apiThrottle: throttle(node, 'apiRateLimit', 'apiBurstLimit'),
  recipientRouteThrottle: throttle(node, 'recipientRateLimit', 'recipientBurstLimit'),
  firewall: firewall(node),
  registryApiUrl: registryApiUrl(node),
  createApiGatewayLogRole: flag(node, 'createApiGatewayLogRole'),
  mail: mail(node),
  mailTemplates: mailTemplates(node),
});
