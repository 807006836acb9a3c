import type { Node } from 'constructs';
import { MAX_CONCURRENCY_RANGE } from './constructs/batch-pipeline';
import type { RegistryStackProps } from './registry-stack';

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

/** The stack settings a deployment chooses with context values (`cdk.json` or `-c key=value`). */
export const registryStackPropsFromContext = (node: Node): RegistryStackProps => ({
  stageName: node.tryGetContext('stageName'),
  batchConcurrency: wholeNumber(node, 'batchConcurrency', MAX_CONCURRENCY_RANGE),
  batchLimits: {
    maxRows: wholeNumber(node, 'batchMaxRows', { min: 1 }),
    maxBytes: wholeNumber(node, 'batchMaxBytes', { min: 1 }),
  },
  retentionDays: wholeNumber(node, 'retentionDays', { min: 1 }),
});
