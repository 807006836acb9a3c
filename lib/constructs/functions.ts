import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../lambdas/functions';
import type { RegistryData } from './data';
import { RegistryFunction } from './registry-function';

export interface RegistryFunctionsProps {
  data: RegistryData;
}

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** One Lambda per FUNCTIONS entry, each granted exactly the table and key access its definition asks for. */
export class RegistryFunctions extends Construct {
  public readonly byName: Readonly<Record<FunctionName, RegistryFunction>>;

  constructor(scope: Construct, id: string, { data }: RegistryFunctionsProps) {
    super(scope, id);
    const created = FUNCTION_NAMES.map((name) => [name, this.createFunction(name, FUNCTIONS[name], data)] as const);
    this.byName = Object.fromEntries(created) as Record<FunctionName, RegistryFunction>;
  }

  private createFunction(name: FunctionName, definition: FunctionDefinition, data: RegistryData): RegistryFunction {
    const fn = new RegistryFunction(this, name.charAt(0).toUpperCase() + name.slice(1), { definition });
    if (definition.table !== 'none') fn.bindTable(data.table, definition.table);
    if (definition.keys) fn.bindKeySecret(data.keySecret);
    return fn;
  }
}
