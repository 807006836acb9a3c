import { FUNCTIONS, type FunctionDefinition, type FunctionName } from '../../system/functions';

type Trigger = NonNullable<FunctionDefinition['trigger']>;

/** The functions FUNCTIONS says `kind` triggers (S3 object-created events or a queue), with their trigger. */
export function functionsTriggeredBy<Kind extends Trigger['kind']>(kind: Kind) {
  return (Object.entries(FUNCTIONS) as [FunctionName, FunctionDefinition][]).flatMap(([name, { trigger }]) =>
    trigger?.kind === kind ? [{ name, trigger: trigger as Extract<Trigger, { kind: Kind }> }] : [],
  );
}
