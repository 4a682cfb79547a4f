/** Reading import files: a file larger than one JavaScript string is read as JSON lines from its bytes. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRawRecords } from "../src/adapters/cli/records.js";

const dir = mkdtempSync(join(tmpdir(), "ee-records-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readRawRecords", () => {
  it("splits a large file in its bytes exactly as a small one is split as text (lines, blanks, CRLF, UTF-8)", () => {
    const file = join(dir, "lines.jsonl");
    writeFileSync(file, '{"id":"a"}\n\n{"id":"é"}\r\n  \n{"id":"c"}');
    const asText = readRawRecords(file);
    const asBytes = readRawRecords(file, 1);
    expect(asBytes).toEqual(asText);
    expect(asBytes).toEqual([
      { line: 1, text: '{"id":"a"}' },
      { line: 3, text: '{"id":"é"}' },
      { line: 5, text: '{"id":"c"}' },
    ]);
  });
  it("a JSON array too large for one string is refused with a way out", () => {
    const file = join(dir, "array.json");
    writeFileSync(file, '[{"id":"a"}]');
    expect(() => readRawRecords(file, 1)).toThrow(/write the profiles as JSON lines/);
  });
});
