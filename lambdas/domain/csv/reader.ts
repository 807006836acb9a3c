import { Readable, pipeline } from 'node:stream';
import { CsvError, type Options, parse } from 'csv-parse';

/** One CSV record with the line it starts on, counting the header and blank lines, as an editor shows it. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

export interface CsvLimits {
  maxBytes: number;
  /** Data rows; a header row does not count. */
  maxRows: number;
}

export const DEFAULT_CSV_LIMITS: Readonly<CsvLimits> = { maxBytes: 256 * 1024 * 1024, maxRows: 1_000_000 };

export interface CsvReadOptions {
  /** The first non-blank record is a header: it is yielded like any record but not counted as a data row. */
  hasHeader?: boolean;
}

export type FileRejectionReason =
  'not_utf8' | 'not_csv' | 'too_large' | 'too_many_rows' | 'no_header_columns' | 'duplicate_columns' | 'no_data_rows';

/** The whole file is refused (docs/SPEC.md §2.1): none of its rows may create an invitation. */
export class FileRejection extends Error {
  constructor(
    readonly reason: FileRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'FileRejection';
  }
}

const MiB = 1024 * 1024;
/** Longer than any real row; stops an unclosed quote from buffering the rest of the file. */
const MAX_RECORD_BYTES = MiB;

/**
 * Streams the records of a CSV file (docs/SPEC.md §2.1): UTF-8 with or without BOM, any line ending, RFC 4180 quoting.
 * Blank lines and rows of empty cells are skipped; ragged rows pass through for the row rules to judge; cells
 * are not trimmed. Throws `FileRejection` as soon as the file is found to break a file-level rule, and at the end
 * when it held no data row.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array | string>,
  limits: CsvLimits,
  { hasHeader = true }: CsvReadOptions = {},
): AsyncGenerator<CsvRecord> {
  const lines = new LineCounter();
  let firstRecord = true;
  const options: Options<CsvRecord, { record: string[] }> = {
    raw: true,
    relax_column_count: true,
    // A quote inside an unquoted cell (`5" screen`) is kept as text, as Python's csv module and Excel read it.
    relax_quotes: true,
    skip_empty_lines: true,
    // Any line ending, even mixed in one file, as Python's csv module reads it.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_BYTES,
    // Runs in parse order, before records are buffered, so `lines` is exact when the parser fails.
    on_record: ({ record: cells }, { raw = '' }) => {
      const line = lines.pass(raw);
      if (firstRecord) {
        firstRecord = false;
        if (separatorLine(raw)) return null;
      }
      return cells.every((cell) => cell.trim() === '') ? null : { cells, line };
    },
  };
  // csv-parse's overloads type on_record's result only for records made of columns.
  const parser = parse(options as unknown as Options);
  // Errors of either stream surface through the parser's iterator below.
  pipeline(Readable.from(decodeUtf8(source, limits.maxBytes)), parser, () => {});

  let headerPending = hasHeader;
  let dataRows = 0;
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      if (headerPending) headerPending = false;
      else if (++dataRows > limits.maxRows) throw tooManyRows(limits.maxRows);
      yield record;
    }
  } catch (error) {
    throw error instanceof CsvError ? notCsv(error, lines) : error;
  }
  if (dataRows === 0) throw noDataRows(hasHeader && !headerPending);
}

/**
 * Excel's `sep=,` first line, which tells it the separator: skipped (its line still counts). A file that
 * declares another separator is refused rather than read wrong.
 */
function separatorLine(raw: string): boolean {
  const declared = /^sep=(.)$/i.exec(raw.replace(/^[\r\n]+|[\r\n]+$/g, ''))?.[1];
  if (declared === undefined) return false;
  if (declared === ',') return true;
  throw new FileRejection(
    'not_csv',
    `The file's first line, "sep=${declared}", says its cells are separated by "${declared}"; ` +
      'the registry reads comma-separated files. Save it as "CSV UTF-8 (Comma delimited)" and try again.',
  );
}

const LINE_BREAKS = /\r\n|\r|\n/g;
const countLineBreaks = (text: string): number => text.match(LINE_BREAKS)?.length ?? 0;

/** Turns each record's source text (skipped blank lines, the record, its line ending) into its first line. */
class LineCounter {
  private linesBefore = 0;

  /** The line the record starts on, without moving past it. */
  startOf(raw: string): number {
    const blankLinesBefore = countLineBreaks(/^[\r\n]*/.exec(raw)?.[0] ?? '');
    return this.linesBefore + blankLinesBefore + 1;
  }

  /** The line the record starts on; the next record is looked for after it. */
  pass(raw: string): number {
    const line = this.startOf(raw);
    this.linesBefore += countLineBreaks(raw);
    return line;
  }
}

function notCsv(error: CsvError, lines: LineCounter): FileRejection {
  const line = lines.startOf(typeof error.raw === 'string' ? error.raw : '');
  const problem =
    error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? `a quote opened in the row starting on line ${line} is never closed`
      : error.code === 'CSV_MAX_RECORD_SIZE'
        ? `the row starting on line ${line} is longer than ${describeBytes(MAX_RECORD_BYTES)} (is a quote never closed?)`
        : `line ${line}: ${error.message}`;
  return new FileRejection('not_csv', `The file is not valid CSV: ${problem}.`);
}

const tooManyRows = (maxRows: number) =>
  new FileRejection(
    'too_many_rows',
    `The file has more than ${maxRows.toLocaleString('en-US')} data rows, the maximum. Split it into smaller files.`,
  );

const noDataRows = (headerSeen: boolean) =>
  new FileRejection(
    'no_data_rows',
    headerSeen ? 'The file has a header row but no data rows.' : 'The file is empty: it has no data rows.',
  );

/** The file is over `maxBytes`: found while reading it, or known beforehand to be `bytes` long. */
export const tooLarge = (maxBytes: number, bytes?: number) =>
  new FileRejection(
    'too_large',
    `The file is ${bytes === undefined ? '' : `${describeBytes(bytes)}, `}larger than ${describeBytes(maxBytes)}, ` +
      'the maximum. Split it into smaller files.',
  );

const describeBytes = (bytes: number): string =>
  bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes.toLocaleString('en-US')} bytes`;

/**
 * Decodes the source chunk by chunk, refusing invalid UTF-8 with the byte offset and line where it starts.
 * A character split across chunks is carried to the next chunk, so each decoded piece ends on a character boundary
 * and a failure can be located inside the piece that failed.
 */
async function* decodeUtf8(source: AsyncIterable<Uint8Array | string>, maxBytes: number): AsyncGenerator<string> {
  const encoder = new TextEncoder();
  // stream: true only so that the BOM is dropped at the start of the file, not at the start of every piece.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carried: Uint8Array = new Uint8Array(0);
  let offset = 0; // of `carried` in the file
  let lineFeeds = 0;
  let bytesRead = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    bytesRead += bytes.byteLength;
    if (bytesRead > maxBytes) throw tooLarge(maxBytes);
    const pending = join(carried, bytes);
    const complete = pending.subarray(0, pending.length - incompleteTailLength(pending));
    let text: string;
    try {
      text = decoder.decode(complete, { stream: true });
    } catch {
      throw notUtf8(complete, offset, lineFeeds);
    }
    lineFeeds += countLineFeeds(text);
    carried = pending.subarray(complete.length);
    offset += complete.length;
    yield text;
  }
  if (carried.length > 0) {
    throw new FileRejection(
      'not_utf8',
      `The file is not UTF-8 text: it ends in the middle of a character (byte offset ${offset}, line ${lineFeeds + 1}).`,
    );
  }
}

function notUtf8(piece: Uint8Array, pieceOffset: number, lineFeedsBefore: number): FileRejection {
  const at = firstInvalidSequence(piece);
  const line = lineFeedsBefore + countLineFeeds(new TextDecoder().decode(piece.subarray(0, at))) + 1;
  const byte = (piece[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return new FileRejection(
    'not_utf8',
    `The file is not UTF-8 text: line ${line} has the byte 0x${byte} (byte offset ${pieceOffset + at}), ` +
      'which is not valid UTF-8. Save the file as "CSV UTF-8" and try again.',
  );
}

/** Where the first invalid sequence of `bytes` (which starts on a character boundary) begins. */
function firstInvalidSequence(bytes: Uint8Array): number {
  // Binary search for the longest prefix that is valid UTF-8, perhaps ending inside a character.
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = (valid + invalid) >>> 1;
    if (isUtf8Prefix(bytes.subarray(0, middle))) valid = middle;
    else invalid = middle;
  }
  const validPrefix = bytes.subarray(0, valid);
  return valid - incompleteTailLength(validPrefix);
}

function isUtf8Prefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** How many bytes at the end of `bytes` begin a character that the bytes do not finish. */
function incompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    const isContinuation = (byte & 0xc0) === 0x80;
    if (!isContinuation) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return length > back ? back : 0;
    }
  }
  return 0;
}

function join(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
