import { join, resolve } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  FilterCriteria,
  FilterRule,
  Runtime,
  StartingPosition,
  Tracing,
  type IEventSourceMapping,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  INDEX_ACTIONS,
  leftOutClients,
  type BucketAccess,
  type FunctionDefinition,
  type TableAccess,
} from '../../system/functions';
import { SERVICE_NAME_VARIABLE } from '../../lambdas/metrics';
import { ASYNC_RETRY_ATTEMPTS, AUDIT_STREAM, BATCH_INPUT_PREFIXES, ENV } from '../../system/resources';
import { LOG_RETENTION } from './log-retention';
import type { SesSending } from './mail';
import { DEAD_LETTER_RETENTION, SecureQueue } from './secure-queue';

export type AuditAccess = NonNullable<FunctionDefinition['audit']>;

/** The variables that tell a function a bucket's name: the registry bucket's or the audit archive's. */
export type BucketNameVariable = typeof ENV.bucketName | typeof ENV.auditArchiveBucketName;

/** The variables that tell a function where to send: the row queue, a job queue, the webhook or the mail queue. */
export type QueueUrlVariable =
  | typeof ENV.rowQueueUrl
  | typeof ENV.jobQueueUrl
  | typeof ENV.archiveJobQueueUrl
  | typeof ENV.webhookQueueUrl
  | typeof ENV.mailQueueUrl;

/** File-level limits of a batch CSV; the splitter's own defaults apply to those left out. */
export interface BatchLimits {
  maxRows?: number;
  maxBytes?: number;
}

export interface RegistryFunctionProps {
  definition: FunctionDefinition;
  /**
   * Source maps in the bundle and `--enable-source-maps`, so logged stack traces name the source. Off by default:
   * loading the map costs about 35 ms of every cold start (docs/ARCHITECTURE.md §6).
   */
  sourceMaps?: boolean;
  /**
   * The folder of mail templates (`<kind>.txt`) a function that sends mail carries in its bundle, relative to the
   * project or absolute; DEFAULT_MAIL_TEMPLATES when absent.
   */
  mailTemplates?: string;
}

/** The project's mail templates, which the mailer's bundle carries unless the deployment names another folder. */
export const DEFAULT_MAIL_TEMPLATES = 'templates';

/** Where a bundle carries the mail templates: beside the handler, so under Lambda's task root (`/var/task`). */
const BUNDLED_MAIL_TEMPLATES = 'templates';
const LAMBDA_TASK_ROOT = '/var/task';

/** The triggers that invoke a function asynchronously: Lambda retries a failed event, then dead-letters it. */
const ASYNCHRONOUS_TRIGGERS: readonly NonNullable<FunctionDefinition['trigger']>['kind'][] = [
  's3',
  'schedule',
  'sesEvents',
];

const shellQuoted = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * Bundling steps that copy `folder` into the bundle, so it is part of the asset: an edited template changes the
 * asset's hash (CDK hashes a bundle's output) and `cdk deploy` ships it.
 */
const copyingIntoBundle = (folder: string): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir, outputDir) => [
    `cp -R ${shellQuoted(resolve(folder))} ${shellQuoted(join(outputDir, BUNDLED_MAIL_TEMPLATES))}`,
  ],
});

// ESM bundles have no `require`; CommonJS dependencies bundled into them still call it.
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Lambda's credentials, from the environment, in place of the SDK's whole default chain (relative to the project). */
const LAMBDA_CREDENTIALS = './lambdas/adapters/lambda-credentials.ts';

/** A context key: `true` writes each bundle's esbuild metafile (`index.meta.json`) beside it, for the benchmark. */
export const BUNDLE_METAFILES_CONTEXT = 'prism:bundleMetafiles';

/**
 * A registry Lambda with the project's defaults: Node.js 22 on ARM64, bundled by the locally installed esbuild (no
 * Docker) into minified ESM (with source maps on request); the AWS SDK's parts bundled in, tree-shaken to the adapters its
 * definition uses (`leftOutClients`) and with credentials from the environment alone (`LAMBDA_CREDENTIALS`); logs kept one
 * month, traced by the runtime's own X-Ray integration, its metrics' `service` dimension the stack's name (so two
 * deployments in one account stay apart). S3, EventBridge schedules and SES's reports invoke their functions
 * asynchronously: an event they keep failing on lands in their `deadLetterQueue`. A function that sends mail carries
 * the mail templates in its bundle.
 */
export class RegistryFunction extends NodejsFunction {
  /** Where the event source mapping of the audit stream describes the batches it gave up (`bindAuditStream`). */
  public streamFailureQueue?: IQueue;

  constructor(
    scope: Construct,
    id: string,
    { definition, sourceMaps = false, mailTemplates = DEFAULT_MAIL_TEMPLATES }: RegistryFunctionProps,
  ) {
    const invokedAsynchronously = definition.trigger && ASYNCHRONOUS_TRIGGERS.includes(definition.trigger.kind);
    super(scope, id, {
      entry: definition.entry,
      description: definition.description,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      // A sibling of the function: `this` cannot parent constructs before super() returns.
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: LOG_RETENTION }),
      tracing: Tracing.ACTIVE,
      environment: {
        ...(sourceMaps && { NODE_OPTIONS: '--enable-source-maps' }),
        [SERVICE_NAME_VARIABLE]: Stack.of(scope).stackName,
        ...(definition.sendsMail && { [ENV.mailTemplates]: `${LAMBDA_TASK_ROOT}/${BUNDLED_MAIL_TEMPLATES}` }),
      },
      ...(invokedAsynchronously && {
        retryAttempts: ASYNC_RETRY_ATTEMPTS,
        deadLetterQueue: new SecureQueue(scope, `${id}DeadLetterQueue`, { retentionPeriod: DEAD_LETTER_RETENTION }),
      }),
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: sourceMaps,
        bundleAwsSDK: true,
        define: leftOutClients(definition),
        esbuildArgs: { '--alias': `@aws-sdk/credential-provider-node=${LAMBDA_CREDENTIALS}` },
        metafile: scope.node.tryGetContext(BUNDLE_METAFILES_CONTEXT) === true,
        ...(definition.sendsMail && { commandHooks: copyingIntoBundle(mailTemplates) }),
      },
    });
  }

  /**
   * Grants the item actions of `access` on the table, on the items of its partitions only where it names them, and
   * its query and scan on the indexes where it reads them; tells the function the table's name.
   */
  bindTable(table: ITable, access: TableAccess): void {
    const dynamodb = (actions: readonly string[]) => actions.map((action) => `dynamodb:${action}`);
    Grant.addToPrincipal({
      grantee: this,
      actions: dynamodb(access.actions),
      resourceArns: [table.tableArn],
      ...(access.partitions && {
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': access.partitions.map((prefix) => `${prefix}*`) },
        },
      }),
    });
    const indexActions = access.actions.filter((action) => INDEX_ACTIONS.includes(action));
    if (access.indexes && indexActions.length > 0) {
      Grant.addToPrincipal({
        grantee: this,
        actions: dynamodb(indexActions),
        resourceArns: [`${table.tableArn}/index/*`],
      });
    }
    this.addEnvironment(ENV.tableName, table.tableName);
  }

  /**
   * Grants `access` to the audit log and tells the function its name: `append` is PutItem alone (a new event;
   * the adapter's condition keeps it from overwriting one), `read` is Query on the table and its indexes.
   * Nothing that could change or delete an event.
   */
  bindAuditTable(table: ITable, access: AuditAccess): void {
    if (access !== 'read') {
      Grant.addToPrincipal({ grantee: this, actions: ['dynamodb:PutItem'], resourceArns: [table.tableArn] });
    }
    if (access !== 'append') {
      Grant.addToPrincipal({
        grantee: this,
        actions: ['dynamodb:Query'],
        resourceArns: [table.tableArn, `${table.tableArn}/index/*`],
      });
    }
    this.addEnvironment(ENV.auditTableName, table.tableName);
  }

  /** Lets the function read the HMAC key ring and tells it where the ring is. */
  bindKeySecret(secret: ISecret): void {
    secret.grantRead(this);
    this.addEnvironment(ENV.keysSecretArn, secret.secretArn);
  }

  /**
   * Grants `access` to the objects under the prefixes it names, and nothing else of the bucket but the listing it
   * may ask for, and tells the function the bucket's name in `nameVariable`.
   */
  bindBucket<Prefix extends string>(
    bucket: IBucket,
    access: BucketAccess<Prefix>,
    nameVariable: BucketNameVariable,
  ): void {
    const objectsUnder = (prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    const { read = [], write = [] } = access;
    if (read.length > 0) {
      const actions = ['s3:GetObject', ...(access.readsVersions ? ['s3:GetObjectVersion'] : [])];
      Grant.addToPrincipal({ grantee: this, actions, resourceArns: objectsUnder(read) });
    }
    if (write.length > 0) {
      const actions = ['s3:PutObject', ...(access.writesMultipart ? ['s3:AbortMultipartUpload'] : [])];
      Grant.addToPrincipal({ grantee: this, actions, resourceArns: objectsUnder(write) });
    }
    if (access.findsMissing) {
      Grant.addToPrincipal({ grantee: this, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
    }
    this.addEnvironment(nameVariable, bucket.bucketName);
  }

  /** Lets the function remove batch inputs, any version of them (the bucket keeps versions), and no other object. */
  bindInputRemoval(bucket: IBucket): void {
    Grant.addToPrincipal({
      grantee: this,
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resourceArns: BATCH_INPUT_PREFIXES.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
    });
  }

  /** Lets the function send to the queue and tells it the queue's URL in `urlVariable`. */
  bindQueue(queue: IQueue, urlVariable: QueueUrlVariable): void {
    queue.grantSendMessages(this);
    this.addEnvironment(urlVariable, queue.queueUrl);
  }

  /**
   * Lets the function send e-mail through SES as the deployment's sender and nobody else: `ses:SendEmail` (which SES
   * v2's SendEmail is authorized as) on the sender's verified identity and the configuration set, with that address
   * as the From address; tells it the address and the set.
   */
  bindSesSending({ from, identityArn, configurationSet, configurationSetArn }: SesSending): void {
    Grant.addToPrincipal({
      grantee: this,
      actions: ['ses:SendEmail'],
      resourceArns: [identityArn, configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': from } },
    });
    this.addEnvironment(ENV.mailFrom, from);
    this.addEnvironment(ENV.sesConfigurationSet, configurationSet.configurationSetName);
  }

  /** Lets the function put events on the bus and tells it the bus's name. */
  bindEventBus(bus: IEventBus): void {
    bus.grantPutEventsTo(this);
    this.addEnvironment(ENV.eventBusName, bus.eventBusName);
  }

  /**
   * Feeds the function the audit table's stream as AUDIT_STREAM sets it: new events only (`INSERT` records), from
   * the oldest record the stream holds, failures reported per record, a failing batch retried in halves a bounded
   * number of times, then described in `failures` (the records stay in the audit log). Grants reading that stream
   * and no other, and sending to `failures`.
   */
  bindAuditStream(table: ITable, failures: IQueue): IEventSourceMapping {
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error(`${table.node.path} has no stream to feed ${this.node.path}`);
    this.streamFailureQueue = failures;
    Grant.addToPrincipal({
      grantee: this,
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      resourceArns: [streamArn],
    });
    return this.addEventSourceMapping('AuditStream', {
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: AUDIT_STREAM.batchSize,
      maxBatchingWindow: Duration.seconds(AUDIT_STREAM.maxBatchingWindowSeconds),
      retryAttempts: AUDIT_STREAM.retryAttempts,
      bisectBatchOnError: AUDIT_STREAM.bisectBatchOnError,
      reportBatchItemFailures: true,
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      onFailure: new SqsDlq(failures),
    });
  }

  /** Tells the function the batch CSV limits that differ from its defaults. */
  bindBatchLimits({ maxRows, maxBytes }: BatchLimits): void {
    if (maxRows !== undefined) this.addEnvironment(ENV.batchMaxRows, String(maxRows));
    if (maxBytes !== undefined) this.addEnvironment(ENV.batchMaxBytes, String(maxBytes));
  }
}
