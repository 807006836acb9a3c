import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { FunctionDefinition } from '../../lambdas/functions';
import { ENV } from '../../lambdas/resources';

export type TableAccess = Exclude<FunctionDefinition['table'], 'none'>;

export interface RegistryFunctionProps {
  definition: FunctionDefinition;
}

// ESM bundles have no `require`; CommonJS dependencies bundled into them still call it.
const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * A registry Lambda with the project's defaults: Node.js 22 on ARM64, bundled by the locally installed
 * esbuild (no Docker) into minified ESM with source maps, the AWS SDK bundled in, logs kept one month.
 */
export class RegistryFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, { definition }: RegistryFunctionProps) {
    super(scope, id, {
      entry: definition.entry,
      description: definition.description,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      // A sibling of the function: `this` cannot parent constructs before super() returns.
      logGroup: new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH }),
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        bundleAwsSDK: true,
      },
    });
  }

  /** Grants `access` to the table and tells the function its name. */
  bindTable(table: ITable, access: TableAccess): void {
    if (access === 'write') table.grantReadWriteData(this);
    else table.grantReadData(this);
    this.addEnvironment(ENV.tableName, table.tableName);
  }

  /** Lets the function read the HMAC key ring and tells it where the ring is. */
  bindKeySecret(secret: ISecret): void {
    secret.grantRead(this);
    this.addEnvironment(ENV.keysSecretArn, secret.secretArn);
  }
}
