/** us-east-1 on-demand list prices in US dollars, and the date they were taken. Free tiers are not deducted. */
export const PRICES = {
  listedOn: '2026-12-03',
  dynamodb: {
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    /** Provisioned capacity, per unit and hour: what a planned large batch can switch to. */
    provisionedWriteUnitHour: 0.00065,
  },
  lambda: { perMillionRequests: 0.2, perGbSecond: 0.0000166667 },
  /** Standard queues; the row queue is FIFO. */
  sqs: { perMillionRequests: 0.4, perMillionFifoRequests: 0.5 },
  s3: { perThousandClassA: 0.005, perThousandClassB: 0.0004 },
  eventBridge: { perMillionEvents: 1.0 },
  /** REST API requests a month, by tier: the first 333 million, the next 667 million, the next 19 billion. */
  apiGatewayTiers: [
    { upToMillions: 333, perMillion: 3.5 },
    { upToMillions: 1_000, perMillion: 2.8 },
    { upToMillions: 20_000, perMillion: 2.38 },
    { upToMillions: Infinity, perMillion: 1.51 },
  ],
} as const;

/** What `requests` REST API requests in one month cost, tier by tier. */
export function apiGatewayCost(requests: number): number {
  let cost = 0;
  let below = 0;
  for (const { upToMillions, perMillion } of PRICES.apiGatewayTiers) {
    const inTier = Math.max(0, Math.min(requests, upToMillions * 1e6) - below);
    cost += (inTier / 1e6) * perMillion;
    below = upToMillions * 1e6;
  }
  return cost;
}
