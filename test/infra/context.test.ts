import { App } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../lambdas/functions';
import { ENV } from '../../lambdas/resources';
import { registryStackPropsFromContext } from '../../lib/context';
import { logicalId, resourceProperties, synthRegistry } from './registry-template';

// As `-c key=value` gives them: strings.
const { stack, template } = synthRegistry({ batchConcurrency: '40', batchMaxRows: '5000', batchMaxBytes: '1048576' });

const queueTriggered = (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][])
  .filter(([, definition]) => definition.trigger?.kind === 'sqs')
  .map(([name]) => name);
const environment = (name: FunctionName) =>
  (resourceProperties(template, logicalId(stack.functions.byName[name])) as { Environment: { Variables: object } })
    .Environment.Variables;

test.each(queueTriggered)('batchConcurrency sets how many invocations of %s run at once', (name) => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: logicalId(stack.functions.byName[name]) },
    ScalingConfig: { MaximumConcurrency: 40 },
  });
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
])('refuses %s=%j: it must be a whole number %s', (key, value, range) => {
  const { node } = new App({ context: { [key]: value } });
  expect(() => registryStackPropsFromContext(node)).toThrow(
    `Context value ${key} must be a whole number ${range}, got ${JSON.stringify(value)}`,
  );
});

test('takes numbers from cdk.json as they are', () => {
  const { node } = new App({ context: { batchConcurrency: 10, batchMaxRows: 100 } });
  expect(registryStackPropsFromContext(node)).toMatchObject({ batchConcurrency: 10, batchLimits: { maxRows: 100 } });
});
