import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { EventInvokeConfig, EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { IConstruct } from 'constructs';
import {
  FUNCTIONS,
  TABLE_ACCESS,
  type BucketAccess,
  type FunctionDefinition,
  type FunctionName,
} from '../system/functions';
import { ASYNC_RETRY_ATTEMPTS, BATCH_INPUT_PREFIXES, DEAD_LETTER_RETENTION_DAYS } from '../system/resources';
import { ROUTES, routeKey, type PrincipalKind } from '../lambdas/contract/routes';
import { deadLetterQueuesOf } from './constructs/monitoring';
import type { RegistryFunction } from './constructs/registry-function';
import type { RegistryStack } from './registry-stack';

/** A cdk-nag finding accepted on purpose, on one construct and everything under it. */
export interface Acknowledgement {
  scope: IConstruct;
  /** A rule (`AwsSolutions-L1`), or one finding of a rule that reports several (`AwsSolutions-IAM5[Resource::*]`). */
  id: string;
  /** Why the finding is accepted, for a security reviewer. */
  reason: string;
}

/** The cdk-nag rule packs the registry is held to. */
export const compliancePacks = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

/**
 * Runs the compliance packs whenever the stack's app is synthesized, so `cdk synth` fails on any finding not
 * acknowledged, and acknowledges the findings accepted on purpose.
 */
export function enforceCompliance(stack: RegistryStack): void {
  Validations.of(stack).addPlugins(...compliancePacks());
  for (const { scope, id, reason } of acknowledgements(stack)) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Every finding of the stack accepted on purpose. Each is addressed to a construct the stack exposes or to
 * each member of a class of constructs (every registry function's role, every dead-letter queue, every
 * administrator route...), never to the stack as a whole, so a new resource is checked in full.
 */
export function acknowledgements(stack: RegistryStack): Acknowledgement[] {
  return [
    ...(Object.keys(FUNCTIONS) as FunctionName[]).flatMap((name) =>
      functionAcknowledgements(stack, stack.functions.byName[name], FUNCTIONS[name]),
    ),
    ...bucketNotificationsAcknowledgements(stack),
    ...apiAcknowledgements(stack),
    ...queueAcknowledgements(stack),
    {
      scope: stack.data.keySecret,
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key ring rotates by key id, not by replacing the secret: an operator adds a new key id with ' +
        '64 random characters and points `currentKid` at it, and every token and encoded invitation issued ' +
        'under an older key id stays verifiable (README "Invitations, tokens and devices", ' +
        'lambdas/domain/keys.ts). Scheduled Secrets Manager rotation would need a rotation function that knows ' +
        'this format; adding a key id stays an operator’s decision, and one that replaced or dropped a key id ' +
        'would make everything issued under it unverifiable.',
    },
  ];
}

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

const NODE_22 =
  'The Lambda runtime is pinned to Node.js 22 (ARCHITECTURE §5): the tests and the embedded stack run the ' +
  'same major through the `node@22` devDependency, so what is tested is what runs, and Lambda supports ' +
  'Node.js 22. A newer runtime is a deliberate upgrade of the functions and of `node@22` together.';

/** How a cdk-nag IAM5 finding names the ARN of a resource of this stack. */
const arnOf = (construct: IConstruct): string =>
  `<${Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;

function functionAcknowledgements(
  stack: RegistryStack,
  fn: RegistryFunction,
  definition: FunctionDefinition,
): Acknowledgement[] {
  const resource = fn.node.defaultChild as IConstruct;
  const role = fn.role as IConstruct;
  return [
    { scope: resource, id: 'AwsSolutions-L1', reason: NODE_22 },
    { scope: resource, id: 'Serverless-LambdaLatestVersion', reason: NODE_22 },
    {
      scope: role,
      id: BASIC_EXECUTION_ROLE,
      reason:
        'NodejsFunction attaches the AWS-managed AWSLambdaBasicExecutionRole to the role it creates: ' +
        'logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents, what a function needs to write its ' +
        'own logs, and nothing that reaches registry data. Every data permission is a separate statement ' +
        'granted from the function’s FUNCTIONS definition (system/functions.ts).',
    },
    {
      scope: role,
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions: `*` is the only resource they accept. test/infra/lib/compliance.test.ts ' +
        'fails if any other action is granted on `*`.',
    },
    ...failureAcknowledgements(fn, definition),
    ...dataAcknowledgements(stack, role, definition),
  ];
}

/** Where each kind of invocation's failures go, instead of a dead-letter queue or destination of the function. */
function failureAcknowledgements(fn: RegistryFunction, { trigger }: FunctionDefinition): Acknowledgement[] {
  const resource = fn.node.defaultChild as IConstruct;
  switch (trigger?.kind) {
    case undefined:
      return [
        {
          scope: resource,
          id: 'Serverless-LambdaDLQ',
          reason:
            'API Gateway invokes it synchronously: a failure is the caller’s error answer and counts in the ' +
            'function’s errors alarm. A function’s dead-letter queue only receives asynchronous invocations.',
        },
      ];
    case 'sqs':
      return [
        {
          scope: resource,
          id: 'Serverless-LambdaDLQ',
          reason:
            `Only its SQS event source (the ${trigger.queue} queue) invokes it: a message it fails on returns to ` +
            'that queue, whose redrive policy, or for a dead-letter queue its retention, decides what follows. ' +
            'A function’s dead-letter queue only receives asynchronous invocations.',
        },
        ...fn.node.children
          .filter((child) => child instanceof EventSourceMapping)
          .map((mapping) => ({
            scope: mapping,
            id: 'Serverless-LambdaEventSourceMappingDestination',
            reason:
              'Lambda offers on-failure destinations for stream and Kafka event sources, not for SQS. A message ' +
              'that keeps failing moves to the dead-letter queue of its queue’s redrive policy or, read from a ' +
              `dead-letter queue, stays there ${DEAD_LETTER_RETENTION_DAYS} days; either way the dead-letter ` +
              'alarm fires.',
          })),
      ];
    case 'auditStream':
      return [
        {
          scope: resource,
          id: 'Serverless-LambdaDLQ',
          reason:
            'Only the audit table’s stream invokes it, through an event source mapping whose on-failure ' +
            'destination is the queue a batch it keeps failing on is described in (its dead-letter alarm fires). ' +
            'A function’s dead-letter queue only receives asynchronous invocations.',
        },
      ];
    case 's3':
    case 'schedule':
    case 'sesEvents':
      return fn.node.children
        .filter((child) => child instanceof EventInvokeConfig)
        .map((config) => ({
          scope: config,
          id: 'Serverless-LambdaAsyncFailureDestination',
          reason:
            `An ${trigger.kind === 's3' ? 'S3' : 'EventBridge'} event it still fails on after ` +
            `${ASYNC_RETRY_ATTEMPTS} retries lands in the function’s ` +
            'dead-letter queue (DeadLetterConfig), which raises the dead-letter alarm; an on-failure ' +
            'destination would hold a second copy of the same event.',
        }));
  }
}

/** What a function's definition lets it do with the objects under each prefix of a bucket, in words. */
function objectUses(
  { read = [], readsVersions, write = [], writesMultipart }: BucketAccess<string>,
  removes: readonly string[],
) {
  const uses = new Map<string, string[]>();
  const add = (prefixes: readonly string[], use: string) => {
    for (const prefix of prefixes) uses.set(prefix, [...(uses.get(prefix) ?? []), use]);
  };
  add(read, readsVersions ? 's3:GetObject and s3:GetObjectVersion' : 's3:GetObject');
  add(write, writesMultipart ? 's3:PutObject and s3:AbortMultipartUpload' : 's3:PutObject');
  add(removes, 's3:DeleteObject and s3:DeleteObjectVersion (a batch file refused on arrival)');
  return uses;
}

/**
 * The object wildcards of a function's bucket grants, one per prefix its definition names: S3 object ARNs end in
 * the key, and the keys under a prefix (a batch id, a job id, a day, the name a dropper chose) are made at runtime.
 */
function objectAcknowledgements(
  role: IConstruct,
  bucket: IConstruct,
  access: BucketAccess<string> | undefined,
  removes: readonly string[] = [],
): Acknowledgement[] {
  return [...objectUses(access ?? {}, removes)].map(([prefix, uses]) => ({
    scope: role,
    id: `AwsSolutions-IAM5[Resource::${arnOf(bucket)}/${prefix}*]`,
    reason:
      `${uses.join('; ')} on the objects under ${prefix} of this bucket only, as the function’s FUNCTIONS ` +
      'definition names them: their keys are made at runtime, and no other prefix of the bucket is reachable.',
  }));
}

/** The wildcards of the table and bucket grants, each accepted where the function's definition asks for it. */
function dataAcknowledgements(
  { data, storage }: RegistryStack,
  role: IConstruct,
  { table, audit, bucket, auditArchive, removesInputs }: FunctionDefinition,
): Acknowledgement[] {
  const indexes = (tableArn: string, tableName: string): Acknowledgement => ({
    scope: role,
    id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
    reason:
      `\`index/*\` is the global secondary indexes of the ${tableName} only, which project that table’s own ` +
      'items: listing each index ARN would grant exactly the same data.',
  });
  return [
    ...(table !== 'none' && TABLE_ACCESS[table].indexes ? [indexes(arnOf(data.table), 'registry table')] : []),
    ...(audit === 'read' || audit === 'appendRead' ? [indexes(arnOf(data.auditTable), 'audit table')] : []),
    ...objectAcknowledgements(role, storage.bucket, bucket, removesInputs ? BATCH_INPUT_PREFIXES : []),
    ...objectAcknowledgements(role, storage.auditArchiveBucket, auditArchive),
  ];
}

/** The id CDK gives the stack's one handler that sets bucket notifications (aws-s3 NotificationsResourceHandler). */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

function bucketNotificationsAcknowledgements(stack: RegistryStack): Acknowledgement[] {
  const role = stack.node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID)?.node.tryFindChild('Role');
  if (role === undefined) return [];
  return [
    {
      scope: role,
      id: BASIC_EXECUTION_ROLE,
      reason:
        'CDK’s own handler that sets the registry bucket’s event notifications (the batch splitter’s triggers) ' +
        'at deploy time writes its logs through AWSLambdaBasicExecutionRole. CDK creates this role and offers ' +
        'no way to replace the managed policy.',
    },
  ];
}

/** How each kind of route authenticates its callers (docs/SPEC.md §4.1), where that is not a Cognito user pool. */
const ROUTE_AUTHENTICATION: Record<PrincipalKind, string> = {
  admin:
    'Administrator route: AWS_IAM authorization, so every request is SigV4-signed by an IAM principal allowed ' +
    'execute-api:Invoke (SPEC §4.1). Administrators are IAM identities, not user pool members.',
  delegate:
    'Delegate route: the Lambda request authorizer checks the `Authorization: Invitation <token>` header, and ' +
    'the device header of a device-bound invitation, on every request and uncached, so a revoked invitation is ' +
    'refused at once (SPEC §4.1); `Authorization` is its identity source, so API Gateway refuses a request ' +
    'without it before any invocation. Delegates hold invitation tokens, not user pool accounts.',
  recipient:
    'Recipient route of the Prism client’s registry contract: the invitation token or encoded invitation ' +
    'travels in the request itself (the body, or the query string the reference client uses) and the handler ' +
    'verifies it before it reads or writes anything (SPEC §4.1). The client sends no Authorization header, so ' +
    'no API Gateway authorizer can apply.',
  public:
    'Public route (liveness, the OpenAPI document): it reads no registry data and answers nothing secret, so ' +
    'there is nobody to authenticate.',
};

/** The routes API Gateway lets through without an authorizer: their handlers do the checking, or there is none. */
const UNAUTHORIZED_PRINCIPALS: readonly PrincipalKind[] = ['recipient', 'public'];

function apiAcknowledgements({ api }: RegistryStack): Acknowledgement[] {
  return [
    ...ROUTES.flatMap((route): Acknowledgement[] => {
      const method = api.methods.get(routeKey(route));
      if (method === undefined) throw new Error(`${routeKey(route)} has no method in the REST API`);
      const reason = ROUTE_AUTHENTICATION[route.principal];
      return [
        { scope: method, id: 'AwsSolutions-COG4', reason },
        ...(UNAUTHORIZED_PRINCIPALS.includes(route.principal)
          ? [{ scope: method, id: 'AwsSolutions-APIG4', reason }]
          : []),
      ];
    }),
    {
      scope: api.restApi.deploymentStage,
      id: 'AwsSolutions-APIG6',
      reason:
        'CloudWatch execution logging needs the account-wide API Gateway CloudWatch Logs role ' +
        '(AWS::ApiGateway::Account), account state shared by every API of the region that this stack does not ' +
        'own (cloudWatchRole: false).',
    },
    ...accountLogRoleAcknowledgements(api.restApi),
    ...(api.webAclAssociation
      ? []
      : [
          {
            scope: api.restApi.deploymentStage,
            id: 'AwsSolutions-APIG3',
            reason:
              'This deployment turned the AWS WAF web ACL off (context `waf=false`, to save its monthly and ' +
              'per-request cost). The stage throttles all routes together and each recipient route on its own, ' +
              'administrator routes need SigV4 and delegate routes the authorizer; without the firewall one ' +
              'client address can use up a throttle every client shares (docs/DEPLOY.md). The default ' +
              'deployment has the firewall, which lifts this acknowledgement.',
          },
        ]),
  ];
}

/** The account's API Gateway logging role, where this stack creates it (`createApiGatewayLogRole`). */
function accountLogRoleAcknowledgements(restApi: RestApi): Acknowledgement[] {
  const role = restApi.node.tryFindChild('CloudWatchRole');
  if (role === undefined) return [];
  return [
    {
      scope: role,
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'This is the account-wide role API Gateway itself assumes to write execution and access logs of every ' +
        'API in the account and region, so it cannot be narrowed to this stack’s log groups; AWS maintains ' +
        'this policy for exactly that role, and it grants only log-group and log-stream writes.',
    },
  ];
}

function queueAcknowledgements(stack: RegistryStack): Acknowledgement[] {
  return [
    ...deadLetterQueuesOf(stack).map((queue) => ({
      scope: queue,
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        `A dead-letter queue is where a redrive ends: its messages stay ${DEAD_LETTER_RETENTION_DAYS} days ` +
        '(SQS’s longest) and raise the dead-letter alarm until someone reads them. A dead-letter queue of its ' +
        'own would only move them out of sight.',
    })),
    {
      scope: stack.jobs.scheduleDeadLetterQueue,
      id: 'AwsSolutions-SQS3',
      reason:
        'It is itself a dead-letter queue, that of the schedule rules’ targets (EventBridge DeadLetterConfig), ' +
        'which cdk-nag does not recognise: it only looks for queue redrive policies and function DeadLetterConfig.',
    },
    ...(stack.mailDelivery.ses
      ? [
          {
            scope: stack.mailDelivery.ses.reportDeadLetterQueue,
            id: 'AwsSolutions-SQS3',
            reason:
              'It is itself a dead-letter queue, that of the SES report rule’s target (EventBridge ' +
              'DeadLetterConfig), which cdk-nag does not recognise: it only looks for queue redrive policies and ' +
              'function DeadLetterConfig.',
          },
        ]
      : []),
    ...Object.values(stack.functions.byName).flatMap((fn) =>
      fn.streamFailureQueue
        ? [
            {
              scope: fn.streamFailureQueue,
              id: 'AwsSolutions-SQS3',
              reason:
                'It is itself a dead-letter queue, the on-failure destination of the audit stream’s event source ' +
                'mapping, which cdk-nag does not recognise: it only looks for queue redrive policies and function ' +
                'DeadLetterConfig.',
            },
          ]
        : [],
    ),
    ...(stack.monitoring.emailSubscription?.deadLetterQueue
      ? [
          {
            scope: stack.monitoring.emailSubscription.deadLetterQueue,
            id: 'AwsSolutions-SQS3',
            reason:
              'It is itself a dead-letter queue, that of the alarm email subscription (SNS RedrivePolicy), which ' +
              'cdk-nag does not recognise: it only looks for queue redrive policies and function DeadLetterConfig.',
          },
        ]
      : []),
  ];
}
