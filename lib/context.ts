import type { Node } from 'constructs';
import { LIMITS } from '../lambdas/domain/invitation';
import { MAX_CONCURRENCY_RANGE } from './constructs/batch-pipeline';
import { DEFAULT_REQUESTS_PER_5_MINUTES, RATE_LIMIT } from './constructs/firewall';
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

// Enough to catch a typo or a missing domain; SNS confirms the address itself.
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

/** The firewall: on with `waf=true`, its rate limit per client address from `wafRequestsPer5Minutes`. */
function firewall(node: Node): RegistryStackProps['firewall'] {
  const requestsPer5Minutes = wholeNumber(node, 'wafRequestsPer5Minutes', RATE_LIMIT);
  if (!flag(node, 'waf')) {
    if (requestsPer5Minutes !== undefined) throw new Error('Context value wafRequestsPer5Minutes needs waf=true');
    return undefined;
  }
  return { requestsPer5Minutes: requestsPer5Minutes ?? DEFAULT_REQUESTS_PER_5_MINUTES };
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
  alarmEmail: emailAddress(node, 'alarmEmail'),
  schedules: scheduleSettings(node.tryGetContext(SCHEDULES_CONTEXT_KEY)),
  apiThrottle: throttle(node, 'apiRateLimit', 'apiBurstLimit'),
  recipientRouteThrottle: throttle(node, 'recipientRateLimit', 'recipientBurstLimit'),
  firewall: firewall(node),
  createApiGatewayLogRole: flag(node, 'createApiGatewayLogRole'),
});
