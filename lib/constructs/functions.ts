import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../lambdas/functions';
import type { BatchPipeline } from './batch-pipeline';
import type { RegistryData } from './data';
import { RegistryFunction, type BatchLimits } from './registry-function';
import type { RegistryStorage } from './storage';

export interface RegistryFunctionsProps {
  data: RegistryData;
  storage: RegistryStorage;
  batchPipeline: BatchPipeline;
  /** Limits the splitter holds batch CSVs to, where they differ from its defaults. */
  batchLimits?: BatchLimits;
}

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/**
 * One Lambda per FUNCTIONS entry, granted exactly the table, key, bucket, queue and bus access its definition
 * asks for, and invoked by the trigger it names.
 */
export class RegistryFunctions extends Construct {
  public readonly byName: Readonly<Record<FunctionName, RegistryFunction>>;

  constructor(scope: Construct, id: string, { batchLimits = {}, ...resources }: RegistryFunctionsProps) {
    super(scope, id);
    const created = FUNCTION_NAMES.map(
      (name) => [name, this.createFunction(name, FUNCTIONS[name], resources)] as const,
    );
    this.byName = Object.fromEntries(created) as Record<FunctionName, RegistryFunction>;
    this.byName.batchSplitter.bindBatchLimits(batchLimits);
  }

  private createFunction(
    name: FunctionName,
    definition: FunctionDefinition,
    { data, storage, batchPipeline }: Omit<RegistryFunctionsProps, 'batchLimits'>,
  ): RegistryFunction {
    const fn = new RegistryFunction(this, name.charAt(0).toUpperCase() + name.slice(1), { definition });
    if (definition.table !== 'none') fn.bindTable(data.table, definition.table);
    if (definition.keys) fn.bindKeySecret(data.keySecret);
    if (definition.bucket) fn.bindBucket(storage.bucket, definition.bucket);
    if (definition.sendsRows) fn.bindRowQueue(batchPipeline.rowQueue);
    if (definition.publishesEvents) fn.bindEventBus(batchPipeline.eventBus);

    if (definition.trigger?.kind === 'sqs') fn.addEventSource(batchPipeline.eventSource(definition.trigger.queue));
    if (definition.trigger?.kind === 's3') {
      for (const prefix of definition.trigger.prefixes) {
        storage.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), { prefix });
      }
    }
    return fn;
  }
}
