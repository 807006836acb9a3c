import { readFileSync } from 'node:fs';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import cdkJson from '../../../cdk.json';
import { enforceCompliance } from '../../../lib/compliance';
import { registryStackPropsFromContext } from '../../../lib/context';
import { RegistryStack } from '../../../lib/registry-stack';
import { FUNCTIONS, type FunctionName } from '../../../system/functions';
import { SCHEDULED_JOBS, type ScheduledJob } from '../../../system/resources';

type Json = Record<string, unknown>;

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

/** The feature flags of `cdk.json`, so the tests see the template `cdk synth` produces. */
export const cdkContext = (): Record<string, unknown> => ({ ...cdkJson.context });

/** The logical ids of the resources the stack exposes, named as RegistryStack names them. */
export interface StackIds {
  stackName: string;
  data: { table: string; auditTable: string; keySecret: string };
  storage: { bucket: string; accessLogBucket: string; auditArchiveBucket: string };
  batchPipeline: { rowQueue: string; rowDeadLetterQueue: string; eventBus: string };
  jobs: {
    jobQueue: string;
    jobDeadLetterQueue: string;
    archiveJobQueue: string;
    scheduleDeadLetterQueue: string;
    schedules: Record<ScheduledJob, string>;
  };
  webhooks: { deliveryQueue: string; deliveryDeadLetterQueue: string };
  /** The mail queues, and the SES resources where the deployment sends mail. */
  mail: {
    deliveryQueue: string;
    deliveryDeadLetterQueue: string;
    configurationSet?: string;
    reportDeadLetterQueue?: string;
  };
  api: {
    restApi: string;
    deploymentStage: string;
    delegateAuthorizer: string;
    accessLogs: string;
    webAcl?: string;
    webAclAssociation?: string;
  };
  /**
   * Each function, its role and the queue its failures go to: the dead-letter queue of its asynchronous invocations,
   * or the on-failure queue of its audit stream trigger.
   */
  functions: Record<
    FunctionName,
    { function: string; role?: string; deadLetterQueue?: string; streamFailureQueue?: string }
  >;
  monitoring: {
    alarmTopic: string;
    alarmKey: string;
    /** Where the email subscription keeps what it cannot deliver, when there is one. */
    emailDeadLetterQueue?: string;
    /** Each dead-letter queue's alarm, by the queue's id. */
    deadLetterAlarms: Record<string, string>;
    batchFailureRateAlarm: string;
    jobFailureAlarm: string;
    scheduledJobFailureAlarm: string;
    stalledBatchAlarm: string;
    dashboard: string;
  };
}

const optionalId = (construct: IConstruct | undefined): string | undefined => construct && logicalId(construct);

export function stackIds(stack: RegistryStack): StackIds {
  const { data, storage, batchPipeline, jobs, api, functions, monitoring, webhookDeliveries, mailDelivery } = stack;
  return {
    stackName: stack.stackName,
    data: {
      table: logicalId(data.table),
      auditTable: logicalId(data.auditTable),
      keySecret: logicalId(data.keySecret),
    },
    storage: {
      bucket: logicalId(storage.bucket),
      accessLogBucket: logicalId(storage.accessLogBucket),
      auditArchiveBucket: logicalId(storage.auditArchiveBucket),
    },
    batchPipeline: {
      rowQueue: logicalId(batchPipeline.rowQueue),
      rowDeadLetterQueue: logicalId(batchPipeline.rowDeadLetterQueue),
      eventBus: logicalId(batchPipeline.eventBus),
    },
    jobs: {
      jobQueue: logicalId(jobs.jobQueue),
      jobDeadLetterQueue: logicalId(jobs.jobDeadLetterQueue),
      archiveJobQueue: logicalId(jobs.archiveJobQueue),
      scheduleDeadLetterQueue: logicalId(jobs.scheduleDeadLetterQueue),
      schedules: Object.fromEntries(SCHEDULED_JOBS.map((job) => [job, logicalId(jobs.schedules[job])])) as Record<
        ScheduledJob,
        string
      >,
    },
    webhooks: {
      deliveryQueue: logicalId(webhookDeliveries.queue),
      deliveryDeadLetterQueue: logicalId(webhookDeliveries.deadLetterQueue),
    },
    mail: {
      deliveryQueue: logicalId(mailDelivery.queue),
      deliveryDeadLetterQueue: logicalId(mailDelivery.deadLetterQueue),
      configurationSet: optionalId(mailDelivery.ses?.configurationSet),
      reportDeadLetterQueue: optionalId(mailDelivery.ses?.reportDeadLetterQueue),
    },
    api: {
      restApi: logicalId(api.restApi),
      deploymentStage: logicalId(api.restApi.deploymentStage),
      delegateAuthorizer: logicalId(api.delegateAuthorizer),
      accessLogs: logicalId(api.accessLogs),
      webAcl: optionalId(api.webAcl),
      webAclAssociation: optionalId(api.webAclAssociation),
    },
    functions: Object.fromEntries(
      (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => {
        const fn = functions.byName[name];
        return [
          name,
          {
            function: logicalId(fn),
            role: optionalId(fn.role),
            deadLetterQueue: optionalId(fn.deadLetterQueue),
            streamFailureQueue: optionalId(fn.streamFailureQueue),
          },
        ];
      }),
    ) as StackIds['functions'],
    monitoring: {
      alarmTopic: logicalId(monitoring.alarmTopic),
      alarmKey: logicalId(monitoring.alarmKey),
      emailDeadLetterQueue: optionalId(monitoring.emailSubscription?.deadLetterQueue),
      deadLetterAlarms: Object.fromEntries(
        [...monitoring.deadLetterAlarms].map(([queue, alarm]) => [logicalId(queue), logicalId(alarm)]),
      ),
      batchFailureRateAlarm: logicalId(monitoring.batchFailureRateAlarm),
      jobFailureAlarm: logicalId(monitoring.jobFailureAlarm),
      scheduledJobFailureAlarm: logicalId(monitoring.scheduledJobFailureAlarm),
      stalledBatchAlarm: logicalId(monitoring.stalledBatchAlarm),
      dashboard: logicalId(monitoring.dashboard),
    },
  };
}

/** The registry stack as `bin/app.ts` builds it with these context values (given like `-c key=value`), not synthesized. */
export function registryStack(context: Record<string, string> = {}): RegistryStack {
  const app = new App({ context: { ...cdkContext(), ...context, 'aws:cdk:bundling-stacks': [] } });
  return new RegistryStack(app, 'Test', registryStackPropsFromContext(app.node));
}

/**
 * The registry stack with these context values, synthesized without asset bundling (bundling.test.ts covers
 * that). Only for the variants a test chooses: the default one is synthesized once a run (sharedRegistry).
 */
export function synthRegistry(context: Record<string, string> = {}): {
  stack: RegistryStack;
  template: Template;
  ids: StackIds;
} {
  const stack = registryStack(context);
  return { stack, template: Template.fromStack(stack), ids: stackIds(stack) };
}

/** The variable naming the file where the infra project's global setup left the default stack's template and ids. */
export const SHARED_REGISTRY_VARIABLE = 'PRISM_INFRA_SHARED_REGISTRY';

export interface SharedRegistryFile {
  template: Json;
  ids: StackIds;
}

/** The default registry stack's template and ids, as synthesized once for the whole run (test/infra/global-setup.ts). */
export function sharedRegistry(): { template: Template; ids: StackIds } {
  const file = process.env[SHARED_REGISTRY_VARIABLE];
  if (!file)
    throw new Error(`${SHARED_REGISTRY_VARIABLE} is not set: run the infra tests through jest's infra project`);
  const shared = JSON.parse(readFileSync(file, 'utf8')) as SharedRegistryFile;
  return { template: Template.fromJSON(shared.template), ids: shared.ids };
}

/**
 * The registry app as `bin/app.ts` builds it, cdk-nag checks and acknowledgements included (enforceCompliance),
 * with these context values and without asset bundling; not synthesized yet.
 */
export function compliantRegistryApp(context: Record<string, string> = {}): { app: App; stack: RegistryStack } {
  const app = new App({ context: { ...cdkContext(), ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new RegistryStack(app, 'Test', registryStackPropsFromContext(app.node));
  enforceCompliance(stack);
  return { app, stack };
}

/** The logical id of a resource, or of the resource a higher-level construct stands for. */
export const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(
    (CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild) as CfnElement,
  );

export const resource = (template: Template, id: string): Json & { Properties: Json } =>
  template.toJSON().Resources[id];

export const resourceProperties = (template: Template, id: string): Json => resource(template, id).Properties;

/** The logical ids a template value refers to with `Ref` or `Fn::GetAtt`, however deeply nested (pseudo parameters aside). */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]: [string, unknown]) => {
    if (key === 'Ref' && typeof inner === 'string') return inner.startsWith('AWS::') ? [] : [inner];
    if (key === 'Fn::GetAtt' && Array.isArray(inner)) return [String(inner[0])];
    return referencedIds(inner);
  });
}

/** The properties of the event source mappings that read the queue with logical id `queueId`. */
export const queueEventSources = (template: Template, queueId: string): Json[] =>
  Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
    .filter(
      (found) =>
        JSON.stringify((found.Properties as { EventSourceArn?: unknown }).EventSourceArn) ===
        JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
    )
    .map(({ Properties }) => Properties as Json);

export const outputs = (template: Template): Record<string, { Value: unknown; Description?: string }> =>
  template.toJSON().Outputs;

export const actionsOf = (statement: PolicyStatement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Whether a statement applies to the resource with this logical id (or to every resource). */
export const appliesTo = (statement: PolicyStatement, id: string): boolean =>
  statement.Resource === '*' || JSON.stringify(statement.Resource).includes(`"${id}"`);

/** Every IAM statement granted to a role: its inline policies and the policies attached to it. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const inline = (resourceProperties(template, roleId).Policies ?? []) as { PolicyDocument: Json }[];
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .map((policy) => policy.Properties as { Roles: Json[]; PolicyDocument: Json })
    .filter((policy) => policy.Roles.some((role) => role.Ref === roleId));
  return [...inline, ...attached].flatMap((policy) => policy.PolicyDocument.Statement as PolicyStatement[]);
}

export interface MethodProperties {
  HttpMethod: string;
  ResourceId: unknown;
  AuthorizationType: string;
  AuthorizerId?: unknown;
  Integration: { Type: string; IntegrationHttpMethod: string; Uri: unknown };
}

/** The API's methods keyed like ROUTES (`GET /invitations/{id}`), with paths rebuilt from the resource tree. */
export function methodsByRoute(template: Template): Map<string, MethodProperties> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (resourceId: unknown): string => {
    const ref = (resourceId as { Ref?: string }).Ref;
    if (!ref) return ''; // the root resource (Fn::GetAtt RootResourceId)
    const { ParentId, PathPart } = resources[ref]?.Properties as { ParentId: unknown; PathPart: string };
    return `${pathOf(ParentId)}/${PathPart}`;
  };
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
    (method) => method.Properties as MethodProperties,
  );
  return new Map(methods.map((method) => [`${method.HttpMethod} ${pathOf(method.ResourceId) || '/'}`, method]));
}
