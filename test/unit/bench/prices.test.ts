import { apiGatewayCost } from '../../../bench/capacity/prices';

describe('API Gateway REST requests a month', () => {
  it('cost the first tier’s price up to 333 million, then each next tier’s', () => {
    expect(apiGatewayCost(1e6)).toBeCloseTo(3.5);
    expect(apiGatewayCost(333e6)).toBeCloseTo(333 * 3.5);
    expect(apiGatewayCost(1_000e6)).toBeCloseTo(333 * 3.5 + 667 * 2.8);
    expect(apiGatewayCost(2_000e6)).toBeCloseTo(333 * 3.5 + 667 * 2.8 + 1_000 * 2.38);
  });
});
