import type { PolicyDocument } from 'aws-lambda';
import { policyAllows } from '../../../../local/gateway/authorizer';

const arn = 'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/delegate/invitations';
const policy = (...statements: [effect: 'Allow' | 'Deny', resource: string | string[], action?: string][]) =>
  ({
    Version: '2012-10-17',
    Statement: statements.map(([Effect, Resource, Action = 'execute-api:Invoke']) => ({ Effect, Resource, Action })),
  }) as PolicyDocument;

describe('policyAllows', () => {
  it('allows when an Allow names the method ARN, exactly or by wildcard', () => {
    expect(policyAllows(policy(['Allow', arn]), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', 'arn:aws:execute-api:*:*:local/local/*/delegate/*']), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', ['arn:aws:s3:::x', '*']], ['Allow', 'x']), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', '*', 'execute-api:*']), arn)).toBe(true);
  });

  it('refuses when no Allow covers the method', () => {
    expect(policyAllows(policy(['Allow', arn.replace('POST', 'GET')]), arn)).toBe(false);
    expect(policyAllows(policy(['Allow', arn, 's3:GetObject']), arn)).toBe(false);
    expect(policyAllows(policy(), arn)).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    expect(policyAllows(policy(['Allow', '*'], ['Deny', arn]), arn)).toBe(false);
  });

  it('treats ? as exactly one character', () => {
    expect(policyAllows(policy(['Allow', arn.replace('POST', 'PO?T')]), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', arn.replace('POST', 'P?T')]), arn)).toBe(false);
  });
});
