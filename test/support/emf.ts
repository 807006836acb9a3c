/** One value of one metric, as CloudWatch reads it from an EMF document. */
export interface Datapoint {
  namespace: string;
  name: string;
  /** The document's one dimension set with its values: `service` and the metric's own. */
  dimensions: Record<string, string>;
  value: number;
}

interface EmfDocument {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/**
 * Turns the functions' metrics on, written to the global console: Powertools' testing seam (`POWERTOOLS_DEV`).
 * Powertools reads both variables when a function's module loads, so call this before loading any.
 */
export function emitMetricsToConsole(): void {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_DEV = 'true';
}

/**
 * Runs `work` and returns its result with the EMF documents it wrote (verbatim, to search for secrets) and
 * their datapoints. Other console lines pass through.
 */
export async function captureEmf<T>(
  work: () => Promise<T>,
): Promise<{ result: T; emf: string; datapoints: Datapoint[] }> {
  const documents: string[] = [];
  const log = console.log.bind(console);
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    const [line] = args;
    if (typeof line === 'string' && line.startsWith('{"_aws":')) documents.push(line);
    else log(...args);
  });
  let result: T;
  try {
    result = await work();
  } finally {
    spy.mockRestore();
  }
  return {
    result,
    emf: documents.join('\n'),
    datapoints: documents.flatMap((line) => datapointsOf(JSON.parse(line))),
  };
}

function datapointsOf(document: EmfDocument): Datapoint[] {
  const [directive, ...otherDirectives] = document._aws.CloudWatchMetrics;
  const [dimensionNames, ...otherSets] = directive?.Dimensions ?? [];
  // A metric written under several dimension sets would count as several metrics.
  if (!directive || !dimensionNames || otherDirectives.length > 0 || otherSets.length > 0) {
    throw new Error(`Expected one directive with one dimension set: ${JSON.stringify(document._aws)}`);
  }
  const dimensions = Object.fromEntries(dimensionNames.map((name) => [name, String(document[name])]));
  return directive.Metrics.flatMap(({ Name }) =>
    [document[Name] as number | number[]]
      .flat()
      .map((value) => ({ namespace: directive.Namespace, name: Name, dimensions, value })),
  );
}

/** The total of `name`'s values among `datapoints`. */
export const total = (datapoints: Datapoint[], name: string): number =>
  datapoints.filter((datapoint) => datapoint.name === name).reduce((sum, { value }) => sum + value, 0);
