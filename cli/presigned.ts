import { createReadStream } from 'node:fs';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from './errors';
import { networkFailureReason } from './http';

/**
 * Transfers to and from the presigned S3 URLs the registry hands out. They are sent as they are: the URL
 * carries its own signature, so nothing is signed and no Authorization header is added. Errors name only the
 * URL's origin, never its query (the signature).
 */

/** Gives up when the connection is idle this long; a large file may take longer than that in all. */
const IDLE_TIMEOUT_MS = 60_000;

export interface LocalFile {
  path: string;
  size: number;
}

/** PUTs the file streamed from disk, with its Content-Length (S3 takes no chunked uploads). */
export async function putFile(url: URL, file: LocalFile, onSent?: (bytes: number) => void): Promise<void> {
  let sent = 0;
  const upload = (request: ClientRequest) =>
    pipeline(
      createReadStream(file.path),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          onSent?.((sent += chunk.length));
          yield chunk;
        }
      },
      request,
    ).catch((error: NodeJS.ErrnoException) => {
      throw error.path === file.path
        ? new CliError(`cannot read ${file.path}: ${error.message}`, 'unreadable_file')
        : error;
    });
  const headers = { 'content-type': 'text/csv', 'content-length': String(file.size) };
  const response = await send(url, 'PUT', headers, upload);
  if (!isOk(response)) throw await refusal(response, `the upload of ${file.path}`, 'upload_failed');
  response.resume();
}

/** GETs the URL and gives its body as a stream, once the answer is a 2xx. */
export async function download(url: URL, what: string): Promise<Readable> {
  const response = await send(url, 'GET', {});
  if (!isOk(response)) throw await refusal(response, `the download of ${what}`, 'download_failed');
  return response;
}

function send(
  url: URL,
  method: 'GET' | 'PUT',
  headers: Record<string, string>,
  upload?: (request: ClientRequest) => Promise<void>,
) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      timeout: IDLE_TIMEOUT_MS,
    });
    request.once('response', resolve);
    request.once('timeout', () =>
      request.destroy(new CliError(`no answer from ${url.origin} within ${IDLE_TIMEOUT_MS / 1000} s`, 'timeout')),
    );
    request.on('error', (error) =>
      reject(
        error instanceof CliError
          ? error
          : new CliError(`cannot reach ${url.origin}: ${networkFailureReason(error)}`, 'connection_failed'),
      ),
    );
    if (!upload) request.end();
    // A read error of the file fails the request; S3 answering early (say 403) is read as its answer instead.
    else upload(request).catch((error: Error) => request.destroy(error));
  });
}

const isOk = (response: IncomingMessage) => (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;

/** S3 answers `<Error><Code>…</Code><Message>…</Message></Error>`; anything else is quoted briefly. */
async function refusal(response: IncomingMessage, what: string, code: string): Promise<CliError> {
  let text = '';
  try {
    for await (const chunk of response) if (text.length < 4096) text += String(chunk);
  } catch {
    // The connection closed under the answer: say what arrived.
  }
  const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
  const s3Code = element('Code');
  const detail = s3Code
    ? `${s3Code}: ${element('Message') ?? ''}`
    : text.trim().slice(0, 200) || response.statusMessage;
  return new CliError(`${what} was refused: HTTP ${response.statusCode} ${detail}`.trim(), code);
}
