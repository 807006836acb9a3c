import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTIONS, type FunctionDefinition, type FunctionName, type TriggerQueue } from '../../../system/functions';
import { ENV, JOB_QUEUE } from '../../../system/resources';
import { DEFAULT_FIREWALL } from '../../../lib/constructs/firewall';
import { registryStackPropsFromContext } from '../../../lib/context';
import { resourceProperties, sharedRegistry, synthRegistry } from '../support/registry-template';
import { scratchFolder } from '../../support/scratch';

// As `-c key=value` gives them: strings.
const { ids, template } = synthRegistry({
  batchConcurrency: '40',
  batchMaxRows: '5000',
  batchMaxBytes: '1048576',
  retentionDays: '30',
  lastSeenIntervalSeconds: '600',
  expiryReminderDays: '3',
  staleDeviceDays: '45',
  sourceMaps: 'true',
  waf: 'true',
  wafRecipientRequestsPer5Minutes: '600',
});
const defaults = sharedRegistry();

const all = Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][];
const fedBy = (queues: TriggerQueue[]) =>
  all.filter(([, { trigger }]) => trigger?.kind === 'sqs' && queues.includes(trigger.queue)).map(([name]) => name);
const environment = (name: FunctionName) =>
  (resourceProperties(template, ids.functions[name].function) as { Environment: { Variables: Record<string, string> } })
    .Environment.Variables;

const fedTo = (name: FunctionName) => ({ FunctionName: { Ref: ids.functions[name].function } });

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

test('lastSeenIntervalSeconds reaches the functions that validate devices, and no other', () => {
  const told = all.filter(([name]) => ENV.lastSeenIntervalSeconds in environment(name)).map(([name]) => name);
  expect(told).toEqual(all.filter(([, definition]) => definition.validatesDevices).map(([name]) => name));
  expect(told).toEqual(['registry']);
  expect(environment('registry')).toMatchObject({ [ENV.lastSeenIntervalSeconds]: '600' });
});

test('expiryReminderDays reaches the job runner alone; staleDeviceDays the job runner and the jobs function', () => {
  const told = (variable: string) => all.filter(([name]) => variable in environment(name)).map(([name]) => name);
  expect(told(ENV.expiryReminderDays)).toEqual(['jobRunner']);
  expect(told(ENV.staleDeviceDays).sort()).toEqual(['jobRunner', 'jobs']);
  expect(environment('jobRunner')).toMatchObject({ [ENV.expiryReminderDays]: '3', [ENV.staleDeviceDays]: '45' });
});

test('staleDeviceDays switches the stale-devices schedule on, which is off without it', () => {
  const state = (chosen: Template, id: string) => (resourceProperties(chosen, id) as { State: string }).State;
  expect(state(template, ids.jobs.schedules['stale-devices'])).toBe('ENABLED');
  expect(state(defaults.template, defaults.ids.jobs.schedules['stale-devices'])).toBe('DISABLED');
  expect(state(defaults.template, defaults.ids.jobs.schedules['expiry-reminders'])).toBe('ENABLED');
  expect(() => synthRegistry({ schedules: JSON.stringify({ 'stale-devices': '0 5 * * *' }) })).toThrow(
    'The stale-devices job has a schedule but no staleDeviceDays: it stays off until staleDeviceDays is set',
  );
});

test('sourceMaps=true maps the stack traces of every function through its source map', () => {
  const mapped = all.filter(([name]) => environment(name).NODE_OPTIONS === '--enable-source-maps');
  expect(mapped).toEqual(all);
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
  ['lastSeenIntervalSeconds', '-1', 'from 0 to 3600'],
  ['lastSeenIntervalSeconds', '3601', 'from 0 to 3600'],
  ['expiryReminderDays', '0', 'from 1 to 365'],
  ['expiryReminderDays', '366', 'from 1 to 365'],
  ['staleDeviceDays', '0', 'from 1 to 3650'],
  ['staleDeviceDays', 'thirty', 'from 1 to 3650'],
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

test('takes registryApiUrl as it is given, and leaves it out when it is not', () => {
  const { node } = new App({ context: { registryApiUrl: 'https://registry.example.com/registry' } });
  expect(registryStackPropsFromContext(node).registryApiUrl).toBe('https://registry.example.com/registry');
  expect(registryStackPropsFromContext(new App().node).registryApiUrl).toBeUndefined();
});

test.each([
  ['http://registry.example.com/registry', 'must use https'],
  ['https://registry.example.com', 'must end in /registry'],
  ['https://registry.example.com/registry/', 'must end in /registry'],
  [42, 'must be a URL'],
])('refuses registryApiUrl=%j: it %s', (value, problem) => {
  const { node } = new App({ context: { registryApiUrl: value } });
  expect(() => registryStackPropsFromContext(node)).toThrow(
    `Context value registryApiUrl ${problem}, got ${JSON.stringify(value)}`,
  );
});

test('takes alarmEmail as it is given, and leaves it out when it is not', () => {
  expect(registryStackPropsFromContext(new App({ context: { alarmEmail: 'ops@example.com' } }).node)).toMatchObject({
    alarmEmail: 'ops@example.com',
  });
  expect(registryStackPropsFromContext(new App().node).alarmEmail).toBeUndefined();
});

describe('the e-mail context values', () => {
  const propsOf = (context: Record<string, unknown>) => registryStackPropsFromContext(new App({ context }).node);

  test('without mailFrom e-mail is off', () => {
    expect(propsOf({}).mail).toBeUndefined();
  });

  test('mailFrom sends as its own domain unless sesIdentity names the address or a domain it belongs to', () => {
    expect(propsOf({ mailFrom: 'registry@mail.example.org' }).mail).toEqual({
      from: 'registry@mail.example.org',
      sesIdentity: 'mail.example.org',
    });
    for (const sesIdentity of ['example.org', 'mail.example.org', 'registry@mail.example.org', 'Example.ORG']) {
      expect(propsOf({ mailFrom: 'registry@mail.example.org', sesIdentity }).mail).toEqual({
        from: 'registry@mail.example.org',
        sesIdentity,
      });
    }
  });

  test.each(['other.org', 'ample.org', 'someone@mail.example.org', 'mail.example.org.evil.com', 5])(
    'refuses sesIdentity=%j for mailFrom registry@mail.example.org: mail from it is not sent as that identity',
    (sesIdentity) => {
      expect(() => propsOf({ mailFrom: 'registry@mail.example.org', sesIdentity })).toThrow(
        `Context value sesIdentity must be mailFrom (registry@mail.example.org) or a domain it belongs to, got ${JSON.stringify(sesIdentity)}`,
      );
    },
  );

  test('refuses sesIdentity without mailFrom, and a mailFrom that is no address', () => {
    expect(() => propsOf({ sesIdentity: 'example.org' })).toThrow(
      'Context value sesIdentity needs mailFrom, the address e-mail is sent from',
    );
    expect(() => propsOf({ mailFrom: 'Registry <registry@example.org>' })).toThrow(
      'Context value mailFrom must be an email address, got "Registry <registry@example.org>"',
    );
  });

  describe('mailTemplates', () => {
    const folderWith = (templates: Record<string, string>) => {
      const folder = scratchFolder('prism-mail-templates-');
      for (const [file, content] of Object.entries(templates)) writeFileSync(join(folder, file), content);
      return folder;
    };
    const VALID = 'Subject: Invited, {{name}}\n\n{{encoded}}\n';

    test('by default the project’s templates/, which hold a valid template of each kind', () => {
      expect(propsOf({}).mailTemplates).toBe('templates');
    });

    test('takes a folder holding a valid template of each kind', () => {
      const folder = folderWith({ 'invitation.txt': VALID, 'reminder.txt': VALID });
      expect(propsOf({ mailTemplates: folder }).mailTemplates).toBe(folder);
    });

    test('refuses a folder without a template of each kind, or with one that does not parse', () => {
      const missing = folderWith({ 'invitation.txt': VALID });
      expect(() => propsOf({ mailTemplates: missing })).toThrow(
        `Context value mailTemplates (${missing}) has no reminder.txt`,
      );
      const broken = folderWith({ 'invitation.txt': VALID, 'reminder.txt': 'Subject: Soon\n\n{{nmae}}\n' });
      expect(() => propsOf({ mailTemplates: broken })).toThrow(
        `Context value mailTemplates: ${join(broken, 'reminder.txt')}: unknown field {{nmae}}`,
      );
      expect(() => propsOf({ mailTemplates: '' })).toThrow('Context value mailTemplates must be a folder, got ""');
    });
  });
});

describe('the API context values', () => {
  const chosen = synthRegistry({
    apiRateLimit: '200',
    apiBurstLimit: '400',
    recipientRateLimit: '20',
    recipientBurstLimit: '40',
    waf: 'false',
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

  interface RateRule {
    Name: string;
    Statement: { RateBasedStatement?: { Limit: number } };
  }
  const rateLimits = (acls: Template) =>
    Object.fromEntries(
      Object.values(acls.findResources('AWS::WAFv2::WebACL'))
        .flatMap((acl) => (acl.Properties as { Rules: RateRule[] }).Rules)
        .filter((rule) => rule.Statement.RateBasedStatement)
        .map((rule) => [rule.Name, rule.Statement.RateBasedStatement!.Limit]),
    );

  test('by default a WebACL with the default limits per client address guards the stage', () => {
    expect(defaults.ids.api.webAclAssociation).toBeDefined();
    defaults.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    expect(rateLimits(defaults.template)).toEqual({
      RequestsPerClientAddress: DEFAULT_FIREWALL.requestsPer5Minutes,
      RecipientRequestsPerClientAddress: DEFAULT_FIREWALL.recipientRequestsPer5Minutes,
    });
  });

  test('wafRequestsPer5Minutes and wafRecipientRequestsPer5Minutes set the limits per client address', () => {
    const { node } = new App({ context: { wafRequestsPer5Minutes: '9000', wafRecipientRequestsPer5Minutes: '600' } });
    expect(registryStackPropsFromContext(node).firewall).toEqual({
      requestsPer5Minutes: 9000,
      recipientRequestsPer5Minutes: 600,
    });
    expect(rateLimits(template)).toEqual({
      RequestsPerClientAddress: DEFAULT_FIREWALL.requestsPer5Minutes,
      RecipientRequestsPerClientAddress: 600,
    });
  });

  test('waf=false leaves the WebACL and its association out', () => {
    expect(chosen.ids.api.webAcl).toBeUndefined();
    expect(chosen.template.findResources('AWS::WAFv2::WebACL')).toEqual({});
    expect(chosen.template.findResources('AWS::WAFv2::WebACLAssociation')).toEqual({});
    expect(registryStackPropsFromContext(new App({ context: { waf: false } }).node).firewall).toBe(false);
  });

  test('refuses firewall limits with waf=false', () => {
    const { node } = new App({ context: { waf: 'false', wafRecipientRequestsPer5Minutes: '600' } });
    expect(() => registryStackPropsFromContext(node)).toThrow(
      'Context value wafRecipientRequestsPer5Minutes needs the firewall, which waf=false turns off',
    );
  });

  test.each([
    ['wafRequestsPer5Minutes', '9'],
    ['wafRecipientRequestsPer5Minutes', '2000000001'],
    ['wafRecipientRequestsPer5Minutes', 'many'],
  ])('refuses %s=%j: AWS WAF takes 10 to 2,000,000,000', (key, value) => {
    const { node } = new App({ context: { [key]: value } });
    expect(() => registryStackPropsFromContext(node)).toThrow(
      `Context value ${key} must be a whole number from 10 to 2000000000, got ${JSON.stringify(value)}`,
    );
  });

  test('refuses a recipient limit above the limit for all routes', () => {
    expect(() => synthRegistry({ wafRequestsPer5Minutes: '1000', wafRecipientRequestsPer5Minutes: '2000' })).toThrow(
      'recipientRequestsPer5Minutes (2000) must not exceed requestsPer5Minutes (1000)',
    );
  });

  test.each([
    [{ recipientRateLimit: '50' }, 'recipientRequestsPer5Minutes (3000, 10.0 a second)', '50 a second each recipient'],
    [
      { apiRateLimit: '150', recipientRateLimit: '150' },
      'requestsPer5Minutes (6000, 20.0 a second)',
      '150 a second the stage',
    ],
  ])('refuses throttles one client address could use up within its firewall limit (%j)', (context, limit, throttle) => {
    expect(() => synthRegistry(context)).toThrow(
      `Firewall ${limit} lets one client address take more than 10% of the ${throttle}`,
    );
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
    expect(defaults.template.findResources('AWS::ApiGateway::Account')).toEqual({});
  });

  test('schedules moves a job to its crontab line and switches another off, keeping its rule disabled', () => {
    const rule = (job: 'expired-cleanup' | 'audit-archive' | 'invitation-audit') =>
      resourceProperties(chosen.template, chosen.ids.jobs.schedules[job]);
    expect(rule('expired-cleanup')).toMatchObject({ ScheduleExpression: 'cron(0 3 1 * ? *)', State: 'ENABLED' });
    expect(rule('audit-archive')).toMatchObject({ ScheduleExpression: 'cron(30 0 * * ? *)', State: 'DISABLED' });
    expect(rule('invitation-audit')).toMatchObject({ ScheduleExpression: 'cron(0 0 * * ? *)', State: 'ENABLED' });
  });
});
