import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RegistryApi } from './constructs/api';
import { RegistryData } from './constructs/data';
import { RegistryFunctions } from './constructs/functions';

export const DEFAULT_STAGE_NAME = 'v1';

export interface RegistryStackProps extends StackProps {
  /** API Gateway stage, the first path segment of every API URL. */
  stageName?: string;
}

/** The whole Prism invitation registry in one stack. */
export class RegistryStack extends Stack {
  public readonly data: RegistryData;
  public readonly functions: RegistryFunctions;
  public readonly api: RegistryApi;

  constructor(scope: Construct, id: string, { stageName = DEFAULT_STAGE_NAME, ...props }: RegistryStackProps = {}) {
    super(scope, id, props);

    this.data = new RegistryData(this, 'Data');
    this.functions = new RegistryFunctions(this, 'Functions', { data: this.data });
    this.api = new RegistryApi(this, 'Api', { functions: this.functions.byName, stageName });

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'Registry REST API base URL' });
    new CfnOutput(this, 'RegistryUrl', {
      value: this.api.registryUrl,
      description: 'CWS_REGISTRY_API for the reference Prism client',
    });
  }
}
