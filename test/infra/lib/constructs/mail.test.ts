import type { Template } from 'aws-cdk-lib/assertions';
import { deliveryAttempts } from '../../../../lambdas/domain/webhook';
import { FUNCTIONS, queueVisibilityTimeoutSeconds, type FunctionName } from '../../../../system/functions';
import {
  DEAD_LETTER_RETENTION_DAYS,
  ENV,
  MAIL_QUEUE,
  MAIL_RETRY_SCHEDULE_SECONDS,
  SCHEDULE_RETRY_ATTEMPTS,
  SES_EVENTS,
  SES_INVITATION_TAG,
} from '../../../../system/resources';
import {
  actionsOf,
  resourceProperties,
  sharedRegistry,
  statementsOfRole,
  synthRegistry,
  type PolicyStatement,
  type StackIds,
  queueEventSources,
} from '../../support/registry-template';

const DAY_SECONDS = 24 * 60 * 60;
const SENDER = { mailFrom: 'invitations@mail.example.org', sesIdentity: 'example.org' };

const defaults = sharedRegistry();
const sending = synthRegistry(SENDER);

type Registry = { template: Template; ids: StackIds };

const environment = ({ template, ids }: Registry, name: FunctionName) =>
  (
    resourceProperties(template, ids.functions[name].function) as {
      Environment: { Variables: Record<string, unknown> };
    }
  ).Environment.Variables;

/** Every IAM statement of the stack, in roles and in policies, with the resource it belongs to. */
const allStatements = ({ template }: Registry): { owner: string; statement: PolicyStatement }[] =>
  ['AWS::IAM::Policy', 'AWS::IAM::Role'].flatMap((type) =>
    Object.entries(template.findResources(type)).flatMap(([owner, found]) => {
      const properties = found.Properties as {
        PolicyDocument?: { Statement: PolicyStatement[] };
        Policies?: { PolicyDocument: { Statement: PolicyStatement[] } }[];
      };
      return [properties.PolicyDocument, ...(properties.Policies ?? []).map((policy) => policy.PolicyDocument)]
        .filter((document) => document !== undefined)
        .flatMap((document) => document.Statement.map((statement) => ({ owner, statement })));
    }),
  );

const sesStatements = (registry: Registry) =>
  allStatements(registry).filter(({ statement }) =>
    actionsOf(statement).some((action) => action === '*' || action.toLowerCase().startsWith('ses:')),
  );

/** A template value as text: `Fn::Join`s joined, a `Ref` as `{Id}`, an attribute as `{Id.Attribute}`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const {
    Ref,
    'Fn::GetAtt': getAtt,
    'Fn::Join': join,
  } = value as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
  };
  if (Ref !== undefined) return `{${Ref}}`;
  if (getAtt !== undefined) return `{${getAtt.join('.')}}`;
  if (join !== undefined) return join[1].map(text).join(join[0]);
  return JSON.stringify(value);
}

const rulesTargeting = ({ template, ids }: Registry, name: FunctionName) =>
  Object.values(template.findResources('AWS::Events::Rule'))
    .map((found) => found.Properties as { EventPattern?: unknown; Targets: Record<string, unknown>[] })
    .filter(({ Targets }) =>
      Targets.some(
        (target) =>
          JSON.stringify(target.Arn) === JSON.stringify({ 'Fn::GetAtt': [ids.functions[name].function, 'Arn'] }),
      ),
    );

describe('the mail queue', () => {
  const { template, ids } = defaults;
  const { deliveryQueue, deliveryDeadLetterQueue } = ids.mail;

  test('redrives an e-mail to its dead-letter queue after one receive per attempt of the retry schedule', () => {
    expect(resourceProperties(template, deliveryQueue)).toMatchObject({
      VisibilityTimeout: queueVisibilityTimeoutSeconds('mailDeliveries'),
      MessageRetentionPeriod: MAIL_QUEUE.retentionDays * DAY_SECONDS,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deliveryDeadLetterQueue, 'Arn'] },
        maxReceiveCount: deliveryAttempts(MAIL_RETRY_SCHEDULE_SECONDS),
      },
      SqsManagedSseEnabled: true,
    });
    expect(resourceProperties(template, deliveryDeadLetterQueue)).toMatchObject({
      MessageRetentionPeriod: DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS,
      SqsManagedSseEnabled: true,
    });
  });

  test('the whole retry schedule fits in the queue’s retention and each step in SQS’s 12-hour visibility limit', () => {
    const total = MAIL_RETRY_SCHEDULE_SECONDS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeLessThan(MAIL_QUEUE.retentionDays * DAY_SECONDS);
    expect(Math.max(...MAIL_RETRY_SCHEDULE_SECONDS)).toBeLessThanOrEqual(12 * 60 * 60);
  });

  test('its dead-letter queue has an alarm', () => {
    expect(Object.keys(ids.monitoring.deadLetterAlarms)).toContain(deliveryDeadLetterQueue);
  });

  test('feeds the mailer alone, MAIL_QUEUE’s batch size at a time, failures reported per message', () => {
    expect(queueEventSources(template, deliveryQueue)).toEqual([
      expect.objectContaining({
        FunctionName: { Ref: ids.functions.mailer.function },
        BatchSize: MAIL_QUEUE.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: MAIL_QUEUE.defaultMaxConcurrency },
      }),
    ]);
  });
});

describe('without mailFrom, e-mail is off', () => {
  test('no SES resource, and no statement anywhere in the stack allows an SES action', () => {
    const resources = Object.values(defaults.template.toJSON().Resources as Record<string, { Type: string }>);
    expect(resources.filter(({ Type }) => Type.startsWith('AWS::SES::'))).toEqual([]);
    expect(defaults.ids.mail.configurationSet).toBeUndefined();
    expect(sesStatements(defaults)).toEqual([]);
  });

  test('the mailer is told no sender and no configuration set (it fails every message "not configured")', () => {
    expect(environment(defaults, 'mailer')).not.toHaveProperty(ENV.mailFrom);
    expect(environment(defaults, 'mailer')).not.toHaveProperty(ENV.sesConfigurationSet);
  });

  test('no rule routes SES reports to the mail-events function', () => {
    expect(rulesTargeting(defaults, 'mailEvents')).toEqual([]);
  });
});

describe('with mailFrom and sesIdentity', () => {
  const { template, ids } = sending;
  const configurationSetId = ids.mail.configurationSet!;
  const sesArn = (resource: string) => `arn:{AWS::Partition}:ses:{AWS::Region}:{AWS::AccountId}:${resource}`;

  test('the mailer alone may send, ses:SendEmail from mailFrom alone, as the identity and through the set alone', () => {
    const mailerRole = ids.functions.mailer.role!;
    const granted = sesStatements(sending).map(({ statement }) => statement);
    expect(granted).toHaveLength(1);
    const statement = granted[0]!;
    expect(statementsOfRole(template, mailerRole)).toContainEqual(statement);
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Condition: { StringEquals: { 'ses:FromAddress': SENDER.mailFrom } },
    });
    expect([statement.Resource].flat().map(text).sort()).toEqual([
      sesArn(`configuration-set/{${configurationSetId}}`),
      sesArn(`identity/${SENDER.sesIdentity}`),
    ]);
  });

  test('the mailer is told the sender and the configuration set', () => {
    expect(environment(sending, 'mailer')).toMatchObject({
      [ENV.mailFrom]: SENDER.mailFrom,
      [ENV.sesConfigurationSet]: { Ref: configurationSetId },
    });
    const told = (Object.keys(FUNCTIONS) as FunctionName[]).filter(
      (name) => ENV.mailFrom in environment(sending, name),
    );
    expect(told).toEqual(['mailer']);
  });

  test('the configuration set delivers over TLS only, and publishes its reputation metrics', () => {
    expect(resourceProperties(template, configurationSetId)).toMatchObject({
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  test('it publishes deliveries, bounces, complaints, rejections and rendering failures to the default bus', () => {
    const destinations = Object.values(template.findResources('AWS::SES::ConfigurationSetEventDestination')).map(
      (found) =>
        found.Properties as {
          ConfigurationSetName: unknown;
          EventDestination: {
            Enabled: boolean;
            EventBridgeDestination?: { EventBusArn: unknown };
            MatchingEventTypes: string[];
          };
        },
    );
    expect(destinations).toHaveLength(1);
    const [{ ConfigurationSetName, EventDestination }] = destinations as [(typeof destinations)[number]];
    expect(ConfigurationSetName).toEqual({ Ref: configurationSetId });
    expect(EventDestination.Enabled).toBe(true);
    expect(text(EventDestination.EventBridgeDestination?.EventBusArn)).toBe(
      'arn:{AWS::Partition}:events:{AWS::Region}:{AWS::AccountId}:event-bus/default',
    );
    expect([...EventDestination.MatchingEventTypes].sort()).toEqual(
      ['bounce', 'complaint', 'delivery', 'reject', 'renderingFailure'].sort(),
    );
  });

  describe('a rule on the default bus hands SES’s reports on this set’s invitation e-mails to mailEvents', () => {
    const rule = () => {
      const found = rulesTargeting(sending, 'mailEvents') as {
        EventBusName?: unknown;
        EventPattern: unknown;
        Targets: Record<string, unknown>[];
      }[];
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    test('of every detail type SES_EVENTS maps to a status, tagged with an invitation, sent through this set', () => {
      expect(rule().EventBusName).toBeUndefined();
      expect(rule().EventPattern).toEqual({
        source: [SES_EVENTS.source],
        'detail-type': Object.keys(SES_EVENTS.statusByDetailType),
        detail: {
          mail: {
            tags: {
              [SES_INVITATION_TAG]: [{ exists: true }],
              'ses:configuration-set': [{ Ref: configurationSetId }],
            },
          },
        },
      });
    });

    test('a report EventBridge cannot hand over is retried, then kept in a dead-letter queue with an alarm', () => {
      const deadLetterQueue = ids.mail.reportDeadLetterQueue!;
      expect(rule().Targets).toEqual([
        expect.objectContaining({
          RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: 2 * 60 * 60 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] } },
        }),
      ]);
      expect(resourceProperties(template, deadLetterQueue)).toMatchObject({
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_DAYS * DAY_SECONDS,
        SqsManagedSseEnabled: true,
      });
      expect(Object.keys(ids.monitoring.deadLetterAlarms)).toContain(deadLetterQueue);
    });

    test('a report mailEvents keeps failing on lands in its own dead-letter queue, which has an alarm', () => {
      const functionId = ids.functions.mailEvents.function;
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId },
        MaximumRetryAttempts: 2,
      });
      const deadLetterQueue = ids.functions.mailEvents.deadLetterQueue!;
      expect(resourceProperties(template, functionId).DeadLetterConfig).toEqual({
        TargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] },
      });
      expect(Object.keys(ids.monitoring.deadLetterAlarms)).toContain(deadLetterQueue);
    });
  });
});
