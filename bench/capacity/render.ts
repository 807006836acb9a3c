import { BATCH_CONCURRENCY, ROWS_PER_MESSAGE } from '../../lambdas/domain/batch';
import { DEFAULT_RECIPIENT_ROUTE_THROTTLE, DEFAULT_STAGE_THROTTLE } from '../../lib/constructs/throttling';
import { ROW_QUEUE } from '../../system/resources';
import { numeric, table } from '../shared/markdown';
import { LAMBDA_MODEL, type CapacityFigures, type Figures } from './figures';
import { apiGatewayCost, PRICES } from './prices';

/** DynamoDB's limits the model plans with: a new on-demand table's throughput, and any one partition's. */
export const DYNAMODB_LIMITS = {
  newTableWriteUnitsPerSecond: 4_000,
  partitionWriteUnitsPerSecond: 1_000,
  partitionReadUnitsPerSecond: 3_000,
} as const;

const VALIDATION_EVERY_SECONDS = 300;
const HOURS_A_MONTH = 730;
const DEVICE_FLEETS = [10_000, 100_000, 1_000_000];
const BATCH_ROWS = [100_000, 1_000_000];
const SCALE_UP = 10;

const plain = (value: number, digits = 2) =>
  Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
/** Cents, or two significant digits below a dollar. */
const dollars = (value: number) =>
  value > 0 && value < 1
    ? `$${Number(value.toPrecision(2))}`
    : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const duration = (seconds: number) =>
  seconds < 120
    ? `${plain(seconds, 0)} s`
    : seconds < 7_200
      ? `${plain(seconds / 60, 0)} min`
      : `${plain(seconds / 3600, 1)} h`;

/** `figures` times `n` on the monthly bill, line by line. */
function costOf(figures: Figures, n: number, fifo: boolean) {
  const dynamodb =
    ((figures.writeUnits + figures.indexWriteUnits) * n * PRICES.dynamodb.perMillionWriteUnits +
      figures.readUnits * n * PRICES.dynamodb.perMillionReadUnits) /
    1e6;
  const lambda =
    (figures.lambdaInvocations * n * PRICES.lambda.perMillionRequests) / 1e6 +
    figures.gbSeconds * n * PRICES.lambda.perGbSecond;
  const sqs =
    (figures.sqsRequests * n * (fifo ? PRICES.sqs.perMillionFifoRequests : PRICES.sqs.perMillionRequests)) / 1e6;
  const s3 =
    (figures.s3ClassA * n * PRICES.s3.perThousandClassA + figures.s3ClassB * n * PRICES.s3.perThousandClassB) / 1000;
  const events = (figures.events * n * PRICES.eventBridge.perMillionEvents) / 1e6;
  const api = apiGatewayCost(figures.apiRequests * n);
  return { dynamodb, lambda, sqs, s3, events, api, total: dynamodb + lambda + sqs + s3 + events + api };
}

const perRow = (chunk: Figures): Figures => {
  const row = { ...chunk, name: 'batch, per row' };
  for (const key of Object.keys(row) as (keyof Figures)[]) {
    if (typeof row[key] === 'number')
      (row as unknown as Record<string, number>)[key] = (chunk[key] as number) / ROWS_PER_MESSAGE;
  }
  return row;
};

function operationsTable({ operations, batch }: CapacityFigures): string {
  const rows = [...operations, batch.perBatch, batch.perChunk, perRow(batch.perChunk)].map((f) => [
    f.name,
    plain(f.lambdaInvocations),
    plain(f.lambdaMs, 0),
    plain(f.gbSeconds, 3),
    plain(f.apiRequests),
    plain(f.dynamodbRequests),
    plain(f.roundTrips),
    plain(f.readUnits),
    plain(f.writeUnits),
    plain(f.indexWriteUnits),
    plain(f.sqsRequests),
    plain(f.s3ClassA),
    plain(f.s3ClassB),
    plain(f.events),
  ]);
  return table(
    [
      { title: 'operation' },
      ...[
        'Lambda invocations',
        'Lambda ms (model)',
        'GB-s',
        'API requests',
        'DynamoDB requests',
        'round trips',
        'read units',
        'write units',
        'index write units',
        'SQS requests',
        'S3 PUT/LIST',
        'S3 GET',
        'events',
      ].map(numeric),
    ],
    rows,
  );
}

function fleetTable(validate: Figures): string {
  const rows = DEVICE_FLEETS.map((devices) => {
    const validations = devices * (3600 / VALIDATION_EVERY_SECONDS) * HOURS_A_MONTH;
    const cost = costOf(validate, validations, false);
    return [
      plain(devices, 0),
      plain(validations / 1e6, 1),
      plain(devices / VALIDATION_EVERY_SECONDS, 0),
      dollars(cost.dynamodb),
      dollars(cost.lambda),
      dollars(cost.api),
      dollars(cost.total),
    ];
  });
  return table(
    [
      ...['devices', 'validations a month (millions)', 'validations a second'].map(numeric),
      ...['DynamoDB', 'Lambda', 'API Gateway', 'total a month'].map(numeric),
    ],
    rows,
  );
}

const chunksOf = (rows: number) => Math.ceil(rows / ROWS_PER_MESSAGE);

function batchCostTable({ perBatch, perChunk }: CapacityFigures['batch']): string {
  const rows = BATCH_ROWS.map((batchRows) => {
    const once = costOf(perBatch, 1, true);
    const chunks = costOf(perChunk, chunksOf(batchRows), true);
    const line = (key: keyof typeof once) => dollars(once[key] + chunks[key]);
    return [
      plain(batchRows, 0),
      plain(chunksOf(batchRows), 0),
      line('dynamodb'),
      line('lambda'),
      line('sqs'),
      line('s3'),
      line('events'),
      line('total'),
    ];
  });
  return table(['rows', 'chunks', 'DynamoDB', 'Lambda', 'SQS (FIFO)', 'S3', 'EventBridge', 'total'].map(numeric), rows);
}

interface Limit {
  name: string;
  chunksPerSecond: number;
  setting: string;
}

function batchLimits({ perChunk }: CapacityFigures['batch']): Limit[] {
  const workers = Math.min(ROW_QUEUE.defaultMaxConcurrency, BATCH_CONCURRENCY.default);
  const chunkMs = perChunk.lambdaMs / perChunk.lambdaInvocations;
  const registryUnits = perChunk.writeUnits - perChunk.auditWriteUnits;
  const tableRaise = `warm throughput of ${plain(SCALE_UP * DYNAMODB_LIMITS.newTableWriteUnitsPerSecond, 0)} write units a second, or provisioned capacity for the batch: ${dollars(SCALE_UP * DYNAMODB_LIMITS.newTableWriteUnitsPerSecond * PRICES.dynamodb.provisionedWriteUnitHour)} an hour at $${PRICES.dynamodb.provisionedWriteUnitHour} a unit-hour`;
  return [
    {
      name: `the registry table's writes: ${plain(DYNAMODB_LIMITS.newTableWriteUnitsPerSecond, 0)} write units a second (a new on-demand table) ÷ ${plain(registryUnits)} a chunk`,
      chunksPerSecond: DYNAMODB_LIMITS.newTableWriteUnitsPerSecond / registryUnits,
      setting: tableRaise,
    },
    {
      name: `the audit table's writes: ${plain(DYNAMODB_LIMITS.newTableWriteUnitsPerSecond, 0)} write units a second ÷ ${plain(perChunk.auditWriteUnits)} a chunk`,
      chunksPerSecond: DYNAMODB_LIMITS.newTableWriteUnitsPerSecond / perChunk.auditWriteUnits,
      setting: `the same for the audit table`,
    },
    {
      name: `the batch's own partition (\`${perChunk.hottestWrite.partition.replace(/#.*/, '#<id>')}\`, its record and counters): ${plain(DYNAMODB_LIMITS.partitionWriteUnitsPerSecond, 0)} write units a second ÷ ${plain(perChunk.hottestWrite.write)} a chunk`,
      chunksPerSecond: DYNAMODB_LIMITS.partitionWriteUnitsPerSecond / perChunk.hottestWrite.write,
      setting:
        'none: a partition never takes more; the chunk records would need partitions of their own (a code change)',
    },
    {
      name: `the workers: ${workers} at once (\`batchConcurrency\` and the batch's \`concurrency\`, both ${workers} by default) × 1 chunk per ${plain(chunkMs, 0)} ms`,
      chunksPerSecond: (workers * 1000) / chunkMs,
      setting: `\`batchConcurrency\` and the batch's \`concurrency\` ${SCALE_UP * workers}: no cost of its own (the same invocations and GB-seconds, sooner)`,
    },
  ];
}

function batchTimeSection(batch: CapacityFigures['batch']): string {
  const limits = batchLimits(batch);
  const rows = BATCH_ROWS.at(-1)!;
  const bottleneck = [...limits].sort((a, b) => a.chunksPerSecond - b.chunksPerSecond)[0]!;
  const lines = limits.map((limit) => [
    limit.name,
    plain(limit.chunksPerSecond, 1),
    plain(limit.chunksPerSecond * ROWS_PER_MESSAGE, 0),
    duration(chunksOf(rows) / limit.chunksPerSecond),
    limit.setting,
  ]);
  return `${table(
    [
      { title: 'limit' },
      ...['chunks a second', 'rows a second', `${plain(rows, 0)} rows take`].map(numeric),
      { title: `for ${SCALE_UP}×` },
    ],
    lines,
  )}

With the default settings a ${plain(rows, 0)}-row batch (${plain(chunksOf(rows), 0)} chunks) takes about
**${duration(chunksOf(rows) / bottleneck.chunksPerSecond)}**; the bottleneck is ${bottleneck.name.split(':')[0]}.`;
}

function scalingSection({ operations, batch, root }: CapacityFigures): string {
  const byName = (name: string) => operations.find((figures) => figures.name === name)!;
  const create = byName('create invitation');
  const fleetCap = (DYNAMODB_LIMITS.partitionReadUnitsPerSecond * VALIDATION_EVERY_SECONDS) / root.validationReads;
  const rows = [
    [
      'a root read by every validation below it',
      `${plain(root.validationReads)} read units of the root's partition a validation`,
      `${plain(fleetCap, 0)} devices below one root validating every ${VALIDATION_EVERY_SECONDS / 60} minutes (${plain(DYNAMODB_LIMITS.partitionReadUnitsPerSecond, 0)} read units a second a partition)`,
    ],
    [
      'registrations below one root',
      `${plain(root.registrationWrites)} write units of the root's partition a registration (its condition check)`,
      `${plain(DYNAMODB_LIMITS.partitionWriteUnitsPerSecond / root.registrationWrites, 0)} registrations a second below one root`,
    ],
    [
      "quota counters near a root (an ancestor's `descendantsCreated`)",
      `${plain(root.creationWrites)} write units of the root's partition an invitation created`,
      `${plain(DYNAMODB_LIMITS.partitionWriteUnitsPerSecond / root.creationWrites, 0)} invitations created a second below one root, fewer when transactions on the same counter collide`,
    ],
    [
      "the batch record's counters and chunk records",
      `${plain(batch.perChunk.hottestWrite.write)} write units of the batch's partition a chunk`,
      `${plain((DYNAMODB_LIMITS.partitionWriteUnitsPerSecond / batch.perChunk.hottestWrite.write) * ROWS_PER_MESSAGE, 0)} rows a second for one batch, whatever the concurrency`,
    ],
    [
      'index write amplification',
      `${plain(batch.perChunk.indexWriteUnits / ROWS_PER_MESSAGE)} index write units a batch row beside ${plain(batch.perChunk.writeUnits / ROWS_PER_MESSAGE)} table units; ${plain(create.indexWriteUnits)} beside ${plain(create.writeUnits)} an invitation created`,
      'paid on every write; each index also has its own throughput to reach',
    ],
    [
      "the recipient routes' throttling",
      `${plain(DEFAULT_RECIPIENT_ROUTE_THROTTLE.rateLimit, 0)} requests a second a route (\`recipientRateLimit\`), ${plain(DEFAULT_STAGE_THROTTLE.rateLimit, 0)} the whole stage (\`apiRateLimit\`)`,
      `${plain(DEFAULT_RECIPIENT_ROUTE_THROTTLE.rateLimit * VALIDATION_EVERY_SECONDS, 0)} devices validating every ${VALIDATION_EVERY_SECONDS / 60} minutes, until both are raised`,
    ],
  ];
  return table([{ title: 'where' }, { title: 'measured' }, { title: 'stops at' }], rows);
}

/** The generated part of docs/CAPACITY.md: every figure there comes from here. */
export function renderCapacity(figures: CapacityFigures): string {
  const validate = figures.operations.find((operation) => operation.name === 'validate')!;
  return `### Per operation

Measured on the wire by \`npm run capacity\`. Units by DynamoDB's rules from the measured item sizes (reads: 1 a
4 KB item, strongly consistent; writes: 1 a KB, transactions double; index writes: 1 a KB for each index holding
the item). Lambda time is a planning model, not a measurement: ${LAMBDA_MODEL.msPerInvocation} ms an invocation
plus ${LAMBDA_MODEL.msPerRequest} ms each AWS request made in turn; GB-s at each function's memory. A batch's worker
invocations are counted one a row-queue message (at most), its requests as made in turn, and its SQS requests
include the event source's receive and delete of each message.

${operationsTable(figures)}

### Monthly cost of validation

Every device validating every ${VALIDATION_EVERY_SECONDS / 60} minutes, ${HOURS_A_MONTH} hours a month.

${fleetTable(validate)}

### Cost of a batch

${batchCostTable(figures.batch)}

### Time of a large batch on AWS

${batchTimeSection(figures.batch)}

### Where the design stops scaling

${scalingSection(figures)}

Prices: us-east-1, on demand, as listed on ${PRICES.listedOn}: DynamoDB $${PRICES.dynamodb.perMillionWriteUnits} a million write
units and $${PRICES.dynamodb.perMillionReadUnits} a million read units; Lambda $${PRICES.lambda.perMillionRequests} a million requests and
$${PRICES.lambda.perGbSecond} a GB-second (x86); SQS $${PRICES.sqs.perMillionRequests} a million requests (FIFO
$${PRICES.sqs.perMillionFifoRequests}); S3 $${PRICES.s3.perThousandClassA} a thousand PUT, COPY, POST or LIST and $${PRICES.s3.perThousandClassB} a thousand
GET; EventBridge $${PRICES.eventBridge.perMillionEvents.toFixed(2)} a million events; API Gateway REST
${PRICES.apiGatewayTiers.map((tier) => `$${tier.perMillion.toFixed(2)}`).join(', ')} a million by monthly tier. Free tiers not deducted.`;
}
