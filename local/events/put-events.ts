import { randomUUID } from 'node:crypto';
import { LOCAL_NAMES } from '../../system/resources';
import type { LocalEvent } from './event-log';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../emulators/local-aws';

/** The `X-Amz-Target` of EventBridge's PutEvents (JSON 1.1 protocol), the one operation served here. */
const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';

/** Entries one PutEvents call may carry. */
const MAX_ENTRIES = 10;

/** The buses that exist here: the registry's and every account's default bus. */
const BUSES: readonly string[] = [LOCAL_NAMES.eventBus, 'default'];

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface PutEventsOutcome {
  answer: JsonAnswer;
  /** The entries accepted, as events to record. */
  events: LocalEvent[];
}

type EntryResult = { event: LocalEvent } | { ErrorCode: string; ErrorMessage: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refusal = (status: number, type: string, message: string): PutEventsOutcome => ({
  answer: { status, body: { __type: type, message } },
  events: [],
});

const busName = (nameOrArn: string) => (nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn);

/** EventBridge's event time: ISO 8601 without fractions of a second. The SDK sends `Time` in epoch seconds. */
const eventTime = (time: unknown) =>
  new Date(typeof time === 'number' ? time * 1000 : Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

function entryResult(entry: unknown): EntryResult {
  if (!isRecord(entry)) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'The entry is not an object.' };
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      };
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (!isRecord(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const bus = busName(typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default');
  if (!BUSES.includes(bus)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  return {
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: LOCAL_ACCOUNT_ID,
      time: eventTime(entry.Time),
      region: LOCAL_REGION,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail,
      bus,
    },
  };
}

/** EventBridge's answer to a JSON 1.1 request, and the events it accepted; PutEvents only. */
export function putEvents(target: string | undefined, body: string): PutEventsOutcome {
  if (target !== PUT_EVENTS_TARGET) {
    return refusal(400, 'UnknownOperationException', `The local event bus serves ${PUT_EVENTS_TARGET} only.`);
  }
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return refusal(400, 'SerializationException', 'The request body is not JSON.');
  }
  const entries = isRecord(request) ? request.Entries : undefined;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    return refusal(400, 'ValidationException', `Entries must be a list of 1 to ${MAX_ENTRIES} entries.`);
  }
  const results = entries.map(entryResult);
  return {
    answer: {
      status: 200,
      body: {
        FailedEntryCount: results.filter((result) => !('event' in result)).length,
        Entries: results.map((result) => ('event' in result ? { EventId: result.event.id } : result)),
      },
    },
    events: results.flatMap((result) => ('event' in result ? [result.event] : [])),
  };
}
