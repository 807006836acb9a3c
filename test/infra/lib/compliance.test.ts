import { Stack, Stage } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { acknowledgements, compliancePacks, type Acknowledgement } from '../../../lib/compliance';
import {
  actionsOf,
  compliantRegistryApp,
  registryStack,
  sharedRegistry,
  statementsOfRole,
  synthRegistry,
  type PolicyStatement,
} from '../support/registry-template';

interface Finding {
  ruleId: string;
  path: string;
  message: string;
}

/** What the compliance packs report on the app, acknowledged findings left out. */
const findingsOf = (app: IConstruct): Finding[] =>
  compliancePacks()
    .flatMap((pack) => pack.validateScope(app).violations)
    .flatMap(({ ruleName, description, violatingResources }) =>
      violatingResources.map(({ constructPath }) => ({
        ruleId: ruleName,
        path: constructPath ?? '',
        message: description,
      })),
    );

const covers = ({ scope, id }: Acknowledgement, { ruleId, path }: Finding): boolean =>
  ruleId === id && (path === scope.node.path || path.startsWith(`${scope.node.path}/`));

const describeAcknowledgement = ({ scope, id }: Acknowledgement): string => `${id} on ${scope.node.path}`;

// Every variant of the stack a deployment can choose that adds resources. Unbundled is enough: cdk-nag reads the
// construct tree and the template, never the assets.
describe.each([
  ['by default', {}],
  ['with an alarm email', { alarmEmail: 'registry-alarms@example.com' }],
  ['sending e-mail through SES', { mailFrom: 'invitations@example.com' }],
  [
    'without the firewall, with the account’s API Gateway logging role',
    { waf: 'false', createApiGatewayLogRole: 'true' },
  ],
])('the registry stack %s', (_variant, context: Record<string, string>) => {
  test('leaves no cdk-nag finding unacknowledged', () => {
    // Synthesis reports instead of throwing, so a failure here lists every finding: rule, path and message.
    const { app } = compliantRegistryApp({ ...context, '@aws-cdk/core:failSynthOnValidationErrors': 'false' });
    app.synth();
    expect(findingsOf(app).map(({ ruleId, path, message }) => `${ruleId} at ${path}: ${message}`)).toEqual([]);
  });

  test('acknowledges only findings the packs report, so no stale acknowledgement hides a future one', () => {
    const { stack } = synthRegistry(context);
    const findings = findingsOf(stack.node.root);
    const stale = acknowledgements(stack).filter((acknowledgement) =>
      findings.every((finding) => !covers(acknowledgement, finding)),
    );
    expect(stale.map(describeAcknowledgement)).toEqual([]);
  });
});

describe('acknowledgements', () => {
  const all = acknowledgements(registryStack());
  const { ids, template } = sharedRegistry();

  test('each give a reason of a sentence or more', () => {
    const unexplained = all.filter(({ reason }) => reason.split(/\s+/).length < 15);
    expect(unexplained.map(describeAcknowledgement)).toEqual([]);
  });

  test('are addressed to constructs of the stack, never to a whole stack or app', () => {
    const blanket = all.filter(({ scope }) => Stack.isStack(scope) || Stage.isStage(scope));
    expect(blanket.map(describeAcknowledgement)).toEqual([]);
  });

  // What makes `AwsSolutions-IAM5[Resource::*]` on the function roles safe to acknowledge.
  test('of `*` resources on a function role cover X-Ray actions alone', () => {
    const onEveryResource = (statement: PolicyStatement) =>
      statement.Resource === '*' || (Array.isArray(statement.Resource) && statement.Resource.includes('*'));
    const actions = Object.values(ids.functions).flatMap(({ role }) =>
      statementsOfRole(template, role!).filter(onEveryResource).flatMap(actionsOf),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => !action.startsWith('xray:'))).toEqual([]);
  });
});

test('synthesis fails on a finding nobody acknowledged', () => {
  const { app, stack } = compliantRegistryApp();
  new Queue(stack, 'UnacknowledgedQueue');
  expect(() => app.synth()).toThrow(/Test\/UnacknowledgedQueue\/Resource/);
});
