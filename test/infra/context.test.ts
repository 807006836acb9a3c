import { App } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionDefinition, type FunctionName, type TriggerQueue } from '../../lambdas/functions';
import { ENV, JOB_QUEUE } from '../../lambdas/resources';
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
])('refuses %s=%j: it must be a whole number %s', (key, value, range) => {
  const { node } = new App({ context: { [key]: value } });
  expect(() => registryStackPropsFromContext(node)).toThrow(
    `Context value ${key} must be a whole number ${range}, got ${JSON.stringify(value)}`,
  );
});

test('takes numbers from cdk.json as they are', () => {
  const { node } = new App({ context: { batchConcurrency: 10, batchMaxRows: 100, retentionDays: 60 } });
  expect(registryStackPropsFromContext(node)).toMatchObject({
    batchConcurrency: 10,
    batchLimits: { maxRows: 100 },
    retentionDays: 60,
  });
});
