import { App } from 'aws-cdk-lib';
import { enforceCompliance } from '../lib/compliance';
import { registryStackPropsFromContext } from '../lib/context';
import { RegistryStack, type RegistryStackProps } from '../lib/registry-stack';

const app = new App();
const envName: string | undefined = app.node.tryGetContext('envName');

/** The settings the context values choose; a bad value stops the synth with its one-line reason, no stack trace. */
function settingsFromContext(): RegistryStackProps {
  try {
    return registryStackPropsFromContext(app.node);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

// Environment-agnostic (no account or region) so synth needs no AWS credentials.
const stack = new RegistryStack(app, envName ? `PrismRegistry-${envName}` : 'PrismRegistry', {
  description: 'Prism invitation registry',
  ...settingsFromContext(),
});
enforceCompliance(stack);
