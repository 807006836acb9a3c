import { App } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionDefinition, type FunctionName, type TriggerQueue } from '../../lambdas/functions';
import { ENV, JOB_QUEUE } from '../../lambdas/resources';
import { DEFAULT_REQUESTS_PER_5_MINUTES } from '../../lib/constructs/firewall';
import { registryStackPropsFromContext } from '../../lib/context';
import { logicalId, resourceProperties, synthRegistry } from './registry-template';

// As `-c key=value` gives them: strings.
const { stack, template } = synthRegistry({
  batchConcurrency: '40',
  batchMaxRows: '5000',
  batchMaxBytes: '1048576',
  retentionDays: '30',
});

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const fedBy = (queues: TriggerQueue[]) =>
  all.filter(([, { trigger }]) => trigger?.kind === 'sqs' && queues.includes(trigger.queue)).map(([name]) => name);
const environment = (name: FunctionName) =>
  (resourceProperties(template, logicalId(stack.functions.byName[name])) as { Environment: { Variables: object } })
    .Environment.Variables;

const fedTo = (name: FunctionName) => ({ FunctionName: { Ref: logicalId(stack.functions.byName[name]) } });

test.each(fedBy(['rows', 'rowDeadLetters']))('batchConcurrency sets how many invocations of %s run at once', (name) => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    ...fedTo(name),
    ScalingConfig: { MaximumConcurrency: 40 },
  });
});

test.each(fedBy(['jobs', 'jobDeadLetters']))(
  'batchConcurrency leaves %s at JOB_QUEUE.defaultMaxConcurrency',
  (name) => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...fedTo(name),
      ScalingConfig: { MaximumConcurrency: JOB_QUEUE.defaultMaxConcurrency },
    });
  },
);

test('retentionDays reaches the job runner, and no other function', () => {
  expect(environment('jobRunner')).toMatchObject({ [ENV.retentionDays]: '30' });
  const others = all.filter(([name]) => name !== 'jobRunner' && ENV.retentionDays in environment(name));
  expect(others).toEqual([]);
});

test('batchMaxRows and batchMaxBytes reach the splitter', () => {
  expect(environment('batchSplitter')).toMatchObject({ [ENV.batchMaxRows]: '5000', [ENV.batchMaxBytes]: '1048576' });
});

test.each([
  ['batchConcurrency', '1', 'from 2 to 1000'],
  ['batchConcurrency', '1001', 'from 2 to 1000'],
  ['batchConcurrency', 'ten', 'from 2 to 1000'],
  ['batchMaxRows', '0', 'at least 1'],
  ['batchMaxBytes', '1.5', 'at least 1'],
  ['batchMaxBytes', '', 'at least 1'],
  ['retentionDays', '0', 'at least 1'],
  ['retentionDays', '7.5', 'at least 1'],
  ['auditArchiveRetentionDays', '0', 'from 1 to 36500'],
  ['auditArchiveRetentionDays', '36501', 'from 1 to 36500'],
])('refuses %s=%j: it must be a whole number %s', (key, value, range) => {
  const { node } = new App({ context: { [key]: value } });
  expect(() => registryStackPropsFromContext(node)).toThrow(
    `Context value ${key} must be a whole number ${range}, got ${JSON.stringify(value)}`,
  );
});

test.each(['strict', 'legal-hold', ''])(
  'refuses auditArchiveLockMode=%j: it must be GOVERNANCE or COMPLIANCE',
  (value) => {
    const { node } = new App({ context: { auditArchiveLockMode: value } });
    expect(() => registryStackPropsFromContext(node)).toThrow(
      `Context value auditArchiveLockMode must be GOVERNANCE or COMPLIANCE, got ${JSON.stringify(value)}`,
    );
  },
);

test('takes the audit archive lock from its context values, in either case, and leaves it to the default without', () => {
  const { node } = new App({ context: { auditArchiveLockMode: 'Compliance', auditArchiveRetentionDays: '3650' } });
  expect(registryStackPropsFromContext(node).auditArchiveLock).toEqual({ mode: 'COMPLIANCE', retentionDays: 3650 });
  expect(registryStackPropsFromContext(new App().node).auditArchiveLock).toEqual({
    mode: undefined,
    retentionDays: undefined,
  });
});

test('takes numbers from cdk.json as they are', () => {
  const { node } = new App({ context: { batchConcurrency: 10, batchMaxRows: 100, retentionDays: 60 } });
  expect(registryStackPropsFromContext(node)).toMatchObject({
    batchConcurrency: 10,
    batchLimits: { maxRows: 100 },
    retentionDays: 60,
  });
});

test.each(['ops', 'ops@', '@example.com', 'ops@example', 'ops team@example.com', ''])(
  'refuses alarmEmail=%j: it must be an email address',
  (value) => {
    const { node } = new App({ context: { alarmEmail: value } });
    expect(() => registryStackPropsFromContext(node)).toThrow(
      `Context value alarmEmail must be an email address, got ${JSON.stringify(value)}`,
    );
  },
);

test('takes alarmEmail as it is given, and leaves it out when it is not', () => {
  expect(registryStackPropsFromContext(new App({ context: { alarmEmail: 'ops@example.com' } }).node)).toMatchObject({
    alarmEmail: 'ops@example.com',
  });
  expect(registryStackPropsFromContext(new App().node).alarmEmail).toBeUndefined();
});

describe('the API context values', () => {
  const chosen = synthRegistry({
    apiRateLimit: '200',
    apiBurstLimit: '400',
    recipientRateLimit: '20',
    recipientBurstLimit: '40',
    waf: 'true',
    createApiGatewayLogRole: 'true',
    schedules: JSON.stringify({ 'expired-cleanup': '0 3 1 * *', 'audit-archive': 'off' }),
  });
  const stage = () =>
    Object.values(chosen.template.findResources('AWS::ApiGateway::Stage'))[0]!.Properties as {
      MethodSettings: { HttpMethod: string; ResourcePath: string; ThrottlingRateLimit: number }[];
    };

  test('apiRateLimit and apiBurstLimit throttle the whole stage, recipient* each recipient route', () => {
    expect(stage().MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 200,
          ThrottlingBurstLimit: 400,
        }),
        expect.objectContaining({
          HttpMethod: 'GET',
          ResourcePath: '/~1registry~1validate',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ]),
    );
  });

  test('waf=true puts a WebACL limiting each address to the default rate in front of the stage', () => {
    expect(chosen.stack.api.webAclAssociation).toBeDefined();
    const [acl] = Object.values(chosen.template.findResources('AWS::WAFv2::WebACL'));
    expect(JSON.stringify(acl)).toContain(`"Limit":${DEFAULT_REQUESTS_PER_5_MINUTES}`);
  });

  test('wafRequestsPer5Minutes sets the rate, and only with waf=true', () => {
    const { node } = new App({ context: { waf: 'true', wafRequestsPer5Minutes: '600' } });
    expect(registryStackPropsFromContext(node).firewall).toEqual({ requestsPer5Minutes: 600 });
    const without = new App({ context: { wafRequestsPer5Minutes: '600' } });
    expect(() => registryStackPropsFromContext(without.node)).toThrow('wafRequestsPer5Minutes needs waf=true');
  });

  test('without waf, no WebACL', () => {
    expect(registryStackPropsFromContext(new App().node).firewall).toBeUndefined();
    expect(registryStackPropsFromContext(new App({ context: { waf: false } }).node).firewall).toBeUndefined();
  });

  test.each(['yes', '1', 'TRUE'])('refuses waf=%j: it must be true or false', (value) => {
    const { node } = new App({ context: { waf: value } });
    expect(() => registryStackPropsFromContext(node)).toThrow(
      `Context value waf must be true or false, got ${JSON.stringify(value)}`,
    );
  });

  test('createApiGatewayLogRole=true sets the account’s API Gateway logging role, kept when the stack goes', () => {
    const accounts = Object.values(chosen.template.findResources('AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    const roles = chosen.template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'apigateway.amazonaws.com' } }] } },
    });
    expect(Object.values(roles).map((role) => role.DeletionPolicy)).toEqual(['Retain']);
    expect(template.findResources('AWS::ApiGateway::Account')).toEqual({});
  });

  test('schedules moves a job to its crontab line and switches another off, keeping its rule disabled', () => {
    const rule = (job: 'expired-cleanup' | 'audit-archive' | 'invitation-audit') =>
      resourceProperties(chosen.template, logicalId(chosen.stack.jobs.schedules[job]));
    expect(rule('expired-cleanup')).toMatchObject({ ScheduleExpression: 'cron(0 3 1 * ? *)', State: 'ENABLED' });
    expect(rule('audit-archive')).toMatchObject({ ScheduleExpression: 'cron(30 0 * * ? *)', State: 'DISABLED' });
    expect(rule('invitation-audit')).toMatchObject({ ScheduleExpression: 'cron(0 0 * * ? *)', State: 'ENABLED' });
  });
});
