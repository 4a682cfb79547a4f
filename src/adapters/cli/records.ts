/** Reading the records of `ee pool import|update` and round files: a JSON array, one object, or JSON lines. */
import { readFileSync } from "node:fs";
import type { ImportRecord } from "../../app/pool-service.js";
import type { RawRecord } from "../workers/parallel-import.js";
import { InputError } from "./input.js";

/** Files up to this size are read as one string; larger ones are JSON lines, split in the buffer. */
const ONE_STRING_BYTES = 256 * 1024 * 1024;

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
    throw new InputError(`${path}: cannot read input (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
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
  const first = bytes.subarray(0, 64).toString("utf8").trimStart();
  if (first.startsWith("["))
    throw new InputError(`${path}: a JSON array this large cannot be read; write the profiles as JSON lines`);
  const records: RawRecord[] = [];
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const text = bytes.toString("utf8", start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
    if (text.trim() !== "") records.push({ line, text });
    start = end + 1;
    line++;
  }
  return records;
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
