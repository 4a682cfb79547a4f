/** Reading the records of `ee pool import|update` and round files: a JSON array, one object, or JSON lines. */
import { createReadStream, readFileSync } from "node:fs";
import type { ImportRecord } from "../../app/pool-service.js";
import type { RawRecord } from "../workers/parallel-import.js";
import { InputError } from "./input.js";

/** Files up to this size are read as one string; larger ones are JSON lines, split in the buffer. */
const ONE_STRING_BYTES = 256 * 1024 * 1024;
/** Inputs of JSON lines larger than this are streamed rather than read whole. */
const STREAM_FROM_BYTES = 8 * 1024 * 1024;
/** Records per chunk of a streamed input (a worker's job). */
export const STREAM_CHUNK = 5000;

const cannotRead = (path: string, error: unknown) =>
  new InputError(`${path}: cannot read input (${(error as NodeJS.ErrnoException).code ?? error})`);
const tooLargeArray = (path: string) =>
  new InputError(`${path}: a JSON array this large cannot be read; write the profiles as JSON lines`);

/**
 * JSON array, one JSON object, or JSON lines. JSON lines stay unparsed text (workers parse them);
 * each record keeps its line number for error messages. A file larger than a JavaScript string can
 * hold (a million profiles can be) is read as JSON lines straight from its bytes.
 */
export function readRawRecords(path: string, oneStringBytes = ONE_STRING_BYTES): RawRecord[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path === "-" ? 0 : path);
  } catch (error) {
    throw cannotRead(path, error);
  }
  return rawRecordsOf(bytes, path, oneStringBytes);
}

function rawRecordsOf(bytes: Buffer, path: string, oneStringBytes: number): RawRecord[] {
  if (bytes.length > oneStringBytes) return linesOf(bytes, path);
  const text = bytes.toString("utf8");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      throw new InputError(`${path}: not valid JSON (${(error as Error).message})`);
    }
    return (values as unknown[]).map((value, i) => ({ line: i + 1, value }));
  }
  if (trimmed.startsWith("{")) {
    // One (possibly pretty-printed) JSON object is a single record; otherwise read JSON lines.
    try {
      return [{ line: 1, value: JSON.parse(text) }];
    } catch {
      // fall through to JSON lines
    }
  }
  const records: RawRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== "") records.push({ line: i + 1, text: line });
  });
  return records;
}

/** JSON lines split in the buffer, each line decoded on its own. */
function linesOf(bytes: Buffer, path: string): RawRecord[] {
  if (startsWithBracket(bytes)) throw tooLargeArray(path);
  const splitter = new LineSplitter();
  const records: RawRecord[] = [];
  splitter.push(bytes, records);
  splitter.end(records);
  return records;
}

function startsWithBracket(bytes: Buffer): boolean {
  return bytes.subarray(0, 64).toString("utf8").trimStart().startsWith("[");
}

/**
 * Splits bytes arriving in pieces into JSON lines: on 0x0A (never inside a UTF-8 sequence), each
 * line decoded whole, so a character cut by a piece boundary stays intact. "\r\n" ends a line too;
 * blank lines are skipped but counted.
 */
export class LineSplitter {
  private rest: Buffer[] = [];
  private line = 1;

  push(bytes: Buffer, out: RawRecord[]): void {
    let start = 0;
    for (let end = bytes.indexOf(10); end >= 0; end = bytes.indexOf(10, start)) {
      if (this.rest.length > 0) {
        this.rest.push(bytes.subarray(start, end));
        const line = Buffer.concat(this.rest);
        this.rest = [];
        this.emit(line, 0, line.length, out);
      } else this.emit(bytes, start, end, out);
      start = end + 1;
    }
    // A copy: a view would keep the whole read buffer alive.
    if (start < bytes.length) this.rest.push(Buffer.from(bytes.subarray(start)));
  }

  end(out: RawRecord[]): void {
    const line = Buffer.concat(this.rest);
    this.rest = [];
    if (line.length > 0) this.emit(line, 0, line.length, out);
  }

  private emit(bytes: Buffer, start: number, end: number, out: RawRecord[]): void {
    const text = bytes.toString("utf8", start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
    if (text.trim() !== "") out.push({ line: this.line, text });
    this.line++;
  }
}

export interface StreamOptions {
  /** Records per chunk. */
  chunkSize?: number;
  /** Bytes per read (small in tests, to cut lines and characters across reads). */
  highWaterMark?: number;
}

function byteStream(path: string, highWaterMark: number): AsyncIterable<Buffer> {
  return path === "-"
    ? createReadStream("", { fd: 0, highWaterMark })
    : createReadStream(path, { highWaterMark });
}

/** The JSON lines of `bytes` then of the rest of the stream, in chunks of `chunkSize` records. */
async function* chunksOf(
  head: readonly Buffer[],
  rest: AsyncIterator<Buffer> | undefined,
  path: string,
  chunkSize: number,
): AsyncGenerator<RawRecord[]> {
  const splitter = new LineSplitter();
  let records: RawRecord[] = [];
  const pieces = async function* () {
    yield* head;
    if (!rest) return;
    try {
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    } catch (error) {
      throw cannotRead(path, error);
    } finally {
      await rest.return?.();
    }
  };
  for await (const bytes of pieces()) {
    splitter.push(bytes, records);
    while (records.length >= chunkSize) {
      yield records.slice(0, chunkSize);
      records = records.slice(chunkSize);
    }
  }
  splitter.end(records);
  if (records.length > 0) yield records;
}

/** Reads JSON lines (`-`: standard input) in chunks of records, never holding the whole input. */
export function streamRawRecordChunks(
  path: string,
  { chunkSize = STREAM_CHUNK, highWaterMark = 1024 * 1024 }: StreamOptions = {},
): AsyncGenerator<RawRecord[]> {
  return chunksOf([], byteStream(path, highWaterMark)[Symbol.asyncIterator](), path, chunkSize);
}

/**
 * The records of an import file: small inputs, arrays and single objects (up to the one-string
 * size) read whole as `readRawRecords` does; larger JSON lines as a stream of chunks.
 */
export async function readRawInput(
  path: string,
  {
    streamFrom = STREAM_FROM_BYTES,
    oneStringBytes = ONE_STRING_BYTES,
    chunkSize = STREAM_CHUNK,
    highWaterMark = 1024 * 1024,
  }: StreamOptions & { streamFrom?: number; oneStringBytes?: number } = {},
): Promise<RawRecord[] | AsyncIterable<RawRecord[]>> {
  const bytes = byteStream(path, highWaterMark)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  // Reads up to `limit` bytes; true when the input ended within them.
  const readUpTo = async (limit: number) => {
    try {
      while (size <= limit) {
        const next = await bytes.next();
        if (next.done) return true;
        head.push(next.value);
        size += next.value.length;
      }
      return false;
    } catch (error) {
      throw cannotRead(path, error);
    }
  };
  if (await readUpTo(streamFrom)) return rawRecordsOf(Buffer.concat(head), path, oneStringBytes);
  if (!looksLikeJsonLines(head)) {
    // An array or a pretty-printed object: read whole, as today, up to the one-string size.
    if (await readUpTo(oneStringBytes)) return rawRecordsOf(Buffer.concat(head), path, oneStringBytes);
    if (startsWithBracket(head[0] as Buffer)) {
      await bytes.return?.();
      throw tooLargeArray(path);
    }
  }
  return chunksOf(head, bytes, path, chunkSize);
}

/** Whether the input's first non-blank line is a whole JSON value that is not an array. */
function looksLikeJsonLines(head: readonly Buffer[]): boolean {
  const bytes = Buffer.concat(head);
  let start = 0;
  for (let end = bytes.indexOf(10); end >= 0; end = bytes.indexOf(10, start)) {
    const line = bytes.toString("utf8", start, end).trim();
    if (line !== "") {
      if (line.startsWith("[")) return false;
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    }
    start = end + 1;
  }
  return false;
}

/** Records with every JSON line parsed (a line that is not JSON is an input error naming it). */
export function parseRawRecords(raw: readonly RawRecord[], path: string): ImportRecord[] {
  return raw.map((r) => {
    if (r.text === undefined) return { line: r.line, value: r.value };
    try {
      return { line: r.line, value: JSON.parse(r.text) };
    } catch (error) {
      throw new InputError(`${path}: line ${r.line}: not valid JSON (${(error as Error).message})`);
    }
  });
}

export function readRecords(path: string): ImportRecord[] {
  return parseRawRecords(readRawRecords(path), path);
}
/** Records of an import or update file; a file with none is refused before any database is touched. */
export function requireRecords<T>(records: T[], file: string): T[] {
  if (records.length === 0)
    throw new InputError(`${file === "-" ? "standard input" : file} holds no profiles`);
  return records;
}

/** A round file: exactly one JSON object. */
export function readRoundFile(file: string): unknown {
  const records = readRecords(file);
  if (records.length !== 1) throw new InputError(`${file}: expected one round object`);
  return records[0]?.value;
}
