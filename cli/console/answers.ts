import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './guard';

/** An answer of the console's server, written whole. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string;
}

/** The registry's error envelope, so the page reads the console's own refusals as it reads the registry's. */
export const errorAnswer = (status: number, code: string, message: string): Answer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ error: { code, message } }),
});

export const jsonAnswer = (body: unknown): Answer => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Writes `answer` with the headers every answer carries. */
export function send(response: ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers });
  response.end(answer.body);
}
