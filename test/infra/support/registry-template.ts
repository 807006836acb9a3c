import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import cdkJson from '../../../cdk.json';
import { enforceCompliance } from '../../../lib/compliance';
import { registryStackPropsFromContext } from '../../../lib/context';
import { RegistryStack } from '../../../lib/registry-stack';

type Json = Record<string, unknown>;

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

/** The feature flags of `cdk.json`, so the tests see the template `cdk synth` produces. */
export const cdkContext = (): Record<string, unknown> => ({ ...cdkJson.context });

/**
 * The registry stack as `bin/app.ts` builds it with these context values (given like `-c key=value`),
 * synthesized without asset bundling (bundling.test.ts covers that).
 */
export function synthRegistry(context: Record<string, string> = {}): { stack: RegistryStack; template: Template } {
  const app = new App({ context: { ...cdkContext(), ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new RegistryStack(app, 'Test', registryStackPropsFromContext(app.node));
  return { stack, template: Template.fromStack(stack) };
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

export const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

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
