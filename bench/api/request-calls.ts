import { READ_OPERATIONS, recordSdkCalls, roundTrips, WRITE_OPERATIONS, type SdkCall } from '../shared/sdk-calls';
import type { SendRequest } from './closed-loop';
import { loopbackClient } from './loopback-client';
import type { HttpScenario } from './phases';
import { scenarioRequests } from './scenarios';

/** Requests of each scenario sent one at a time with the wire recorded. */
export const PROBES_PER_SCENARIO = 5;
/** The probed scenarios, in order: registration first, so validation has devices. */
export const PROBED: readonly HttpScenario[] = ['register', 'validate'];

/** What one request asked of DynamoDB, counted on the wire: figures no machine noise changes. */
export interface RequestCalls {
  scenario: HttpScenario;
  requests: number;
  roundTrips: number;
  reads: number;
  writes: number;
  /** The requests round trip by round trip, as sent: what the ceiling sends again. */
  trips: WireRequest[][];
}

export interface WireRequest {
  operation: string;
  body: string;
}

function countsOf(scenario: HttpScenario, calls: readonly SdkCall[]): RequestCalls {
  const trips = roundTrips(calls);
  const dynamodb = trips.flat();
  return {
    scenario,
    requests: dynamodb.length,
    roundTrips: trips.length,
    reads: dynamodb.filter((call) => READ_OPERATIONS.has(call.operation)).length,
    writes: dynamodb.filter((call) => WRITE_OPERATIONS.has(call.operation)).length,
    trips: trips.map((trip) => trip.map(({ operation, body }) => ({ operation, body: body! }))),
  };
}

/** The probe whose request count is the median: a background call landing in one probe does not count. */
const median = (probes: RequestCalls[]) =>
  [...probes].sort((a, b) => a.requests - b.requests)[Math.floor(probes.length / 2)]!;

async function probe(scenario: HttpScenario, send: SendRequest): Promise<RequestCalls> {
  const probes: RequestCalls[] = [];
  for (let n = 0; n < PROBES_PER_SCENARIO; n++) {
    const recording = recordSdkCalls();
    const failure = await send().finally(recording.stop);
    if (failure !== undefined) throw new Error(`${scenario} probe answered wrong: ${failure}`);
    probes.push(countsOf(scenario, recording.calls));
  }
  return median(probes);
}

/**
 * Sends registrations and validations one at a time through the gateway (on `tokens`' invitations, devices of
 * their own) and counts, on the wire, the DynamoDB requests each made: this process runs the functions.
 */
export async function probeRequestCalls(endpoint: string, tokens: readonly string[]): Promise<RequestCalls[]> {
  const requests = scenarioRequests(loopbackClient(endpoint), tokens, 'probe-device');
  const results: RequestCalls[] = [];
  for (const scenario of PROBED) results.push(await probe(scenario, requests[scenario]));
  return results;
}
