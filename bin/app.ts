import { App } from 'aws-cdk-lib';
import { RegistryStack } from '../lib/registry-stack';

const app = new App();
const envName: string | undefined = app.node.tryGetContext('envName');

// Environment-agnostic (no account or region) so synth needs no AWS credentials.
new RegistryStack(app, envName ? `PrismRegistry-${envName}` : 'PrismRegistry', {
  description: 'Prism invitation registry',
  stageName: app.node.tryGetContext('stageName'),
});
