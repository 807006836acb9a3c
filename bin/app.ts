import { App } from 'aws-cdk-lib';
import { enforceCompliance } from '../lib/compliance';
import { registryStackPropsFromContext } from '../lib/context';
import { RegistryStack } from '../lib/registry-stack';

const app = new App();
const envName: string | undefined = app.node.tryGetContext('envName');

// Environment-agnostic (no account or region) so synth needs no AWS credentials.
const stack = new RegistryStack(app, envName ? `PrismRegistry-${envName}` : 'PrismRegistry', {
  description: 'Prism invitation registry',
  ...registryStackPropsFromContext(app.node),
});
enforceCompliance(stack);
