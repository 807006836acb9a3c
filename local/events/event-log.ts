import { appendFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dataDir, stackFiles } from '../stack/paths';

/** An event as EventBridge delivers it to a rule's target, with the bus it was put on. */
export interface LocalEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, as EventBridge writes it. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  bus: string;
}

/** Appends the events to the log, one JSON object a line. */
export const appendEvents = (file: string, events: readonly LocalEvent[]): Promise<void> =>
  appendFile(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''), { mode: 0o600 });

/** Every event put on the local event bus of the stack whose data folder is `home`, oldest first. */
export function readLocalEvents(home = dataDir()): LocalEvent[] {
  let text: string;
  try {
    text = readFileSync(stackFiles(home).events, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LocalEvent);
}
