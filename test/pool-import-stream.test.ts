/**
 * Large JSON-lines imports are streamed (never read whole): the reader's splitting against the
 * whole-file reader, and `ee pool import` of a streamed file (built dist/) against the array path.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  LineSplitter,
  readRawInput,
  readRawRecords,
  streamRawRecordChunks,
} from "../src/adapters/cli/records.js";
import type { RawRecord } from "../src/adapters/workers/parallel-import.js";
import { CLI, ROOT, requireBuiltCli, tempDir } from "./ee.js";

async function collect(chunks: AsyncIterable<RawRecord[]>): Promise<RawRecord[][]> {
  const all: RawRecord[][] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe("the streaming reader", () => {
  const dir = tempDir("ee-stream-");
  // CRLF, blank and whitespace lines, 2-, 3- and 4-byte characters, "\r" before "\n", no final newline.
  const text = '{"id":"a"}\r\n\n{"id":"é€"}\n   \r\n{"id":"😀x"}\r\n\r\n{"id":"ü"}\n{"id":"last"}';
  const file = join(dir, "mixed.jsonl");
  writeFileSync(file, text);

  it("splits exactly as the whole-file reader, whatever the read size cuts (lines, CRLF, UTF-8)", async () => {
    const expected = readRawRecords(file);
    expect(expected.map((r) => [r.line, r.text])).toEqual([
      [1, '{"id":"a"}'],
      [3, '{"id":"é€"}'],
      [5, '{"id":"😀x"}'],
      [7, '{"id":"ü"}'],
      [8, '{"id":"last"}'],
    ]);
    for (let highWaterMark = 1; highWaterMark <= 12; highWaterMark++) {
      const chunks = await collect(streamRawRecordChunks(file, { chunkSize: 2, highWaterMark }));
      expect(chunks.map((c) => c.length)).toEqual([2, 2, 1]);
      expect(chunks.flat(), `highWaterMark ${highWaterMark}`).toEqual(expected);
    }
  });

  it("a character cut between two pieces is decoded whole", () => {
    const bytes = Buffer.from('{"id":"€"}\n', "utf8");
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3 bytes of "€"
    const out: RawRecord[] = [];
    const splitter = new LineSplitter();
    splitter.push(bytes.subarray(0, cut), out);
    splitter.push(bytes.subarray(cut), out);
    splitter.end(out);
    expect(out).toEqual([{ line: 1, text: '{"id":"€"}' }]);
  });

  it("readRawInput: small inputs, arrays and single objects read whole; larger JSON lines streamed", async () => {
    expect(await readRawInput(file)).toEqual(readRawRecords(file));
    const streamed = await readRawInput(file, { streamFrom: 16, highWaterMark: 5 });
    expect(Array.isArray(streamed)).toBe(false);
    expect((await collect(streamed as AsyncIterable<RawRecord[]>)).flat()).toEqual(readRawRecords(file));

    const array = join(dir, "array.json");
    writeFileSync(array, `[\n${Array.from({ length: 5 }, (_, i) => `{"id":"p${i}"}`).join(",\n")}\n]`);
    expect(await readRawInput(array, { streamFrom: 16, highWaterMark: 4 })).toEqual(readRawRecords(array));
    await expect(
      readRawInput(array, { streamFrom: 16, oneStringBytes: 32, highWaterMark: 4 }),
    ).rejects.toThrow(/a JSON array this large cannot be read; write the profiles as JSON lines/);

    const pretty = join(dir, "one.json");
    writeFileSync(pretty, JSON.stringify({ id: "one", spouse: null, workHistory: [] }, null, 2));
    expect(await readRawInput(pretty, { streamFrom: 16, highWaterMark: 4 })).toEqual([
      { line: 1, value: { id: "one", spouse: null, workHistory: [] } },
    ]);

    await expect(readRawInput(join(dir, "missing.jsonl"))).rejects.toThrow(/cannot read input \(ENOENT\)/);
  });
});

describe("ee pool import of a streamed file", () => {
  requireBuiltCli();
  const ee = (args: string[], input?: string) => {
    const run = spawnSync(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      input,
      timeout: 180_000,
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, EE_DB: undefined },
    });
    if (run.error) throw run.error;
    return run;
  };
  const NOW = "2026-02-01T12:00:00Z";
  const COPIES = 14;
  let dir: string;
  let profiles: Record<string, unknown>[];
  let lines: string[];
  let arrayExport: string;

  beforeAll(() => {
    dir = tempDir("ee-stream-cli-");
    const generated = join(dir, "gen.jsonl");
    const gen = ee([
      "pool",
      "generate",
      "--like",
      "2026-02-15",
      "--size",
      "1500",
      "--seed",
      "3",
      "--out",
      generated,
    ]);
    expect(gen.status, gen.stderr).toBe(0);
    const base = readFileSync(generated, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // 21,000 records: past the 20,000 that go to the workers and, at ~20 MB, well past the 8 MiB streamed.
    profiles = Array.from({ length: COPIES }, (_, k) =>
      base.map((p) => ({ ...p, id: `c${k}-${p.id}` })),
    ).flat();
    lines = profiles.map((p) => JSON.stringify(p));
    writeFileSync(join(dir, "pool.jsonl"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, "pool.json"), `[\n${lines.join(",\n")}\n]\n`);
    expect(statSync(join(dir, "pool.jsonl")).size).toBeGreaterThan(16 * 1024 * 1024);

    const db = join(dir, "array.sqlite");
    const run = ee(["pool", "import", join(dir, "pool.json"), "--db", db, "--now", NOW]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`imported ${profiles.length.toLocaleString("en-CA")} profiles into ${db}\n`);
    arrayExport = ee(["pool", "export", "--db", db]).stdout;
    expect(arrayExport.trim().split("\n")).toHaveLength(profiles.length);
  }, 300_000);

  it("stores the same pool as the array of the same profiles (from a file and from standard input)", () => {
    const db = join(dir, "stream.sqlite");
    const run = ee(["pool", "import", join(dir, "pool.jsonl"), "--db", db, "--now", NOW, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ imported: profiles.length, db });
    expect(ee(["pool", "export", "--db", db]).stdout).toBe(arrayExport);

    const fromStdin = join(dir, "stdin.sqlite");
    const piped = ee(
      ["pool", "import", "-", "--db", fromStdin, "--now", NOW],
      readFileSync(join(dir, "pool.jsonl"), "utf8"),
    );
    expect(piped.stderr).toBe("");
    expect(piped.status).toBe(0);
    expect(ee(["pool", "export", "--db", fromStdin]).stdout).toBe(arrayExport);
  }, 300_000);

  /** The lines with CRLF endings and a blank or whitespace line after every 997th record. */
  function withBlanksAndCrlf(records: readonly string[]): { text: string; lineOf: number[] } {
    const out: string[] = [];
    const lineOf: number[] = [];
    records.forEach((line, i) => {
      out.push(line);
      lineOf.push(out.length);
      if (i % 997 === 0) out.push(i % 2 === 0 ? "" : "  \t");
    });
    return { text: `${out.join("\r\n")}\r\n`, lineOf };
  }

  it("CRLF and blank lines: the same pool; an invalid record far in is named by its line, nothing written", () => {
    const { text, lineOf } = withBlanksAndCrlf(lines);
    const good = join(dir, "crlf.jsonl");
    writeFileSync(good, text);
    const db = join(dir, "crlf.sqlite");
    const run = ee(["pool", "import", good, "--db", db, "--now", NOW]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(ee(["pool", "export", "--db", db]).stdout).toBe(arrayExport);

    const at = 20_777; // in a chunk read after the first 20,000 records
    const bad = [...lines];
    bad[at] = JSON.stringify({ ...profiles[at], dateOfBirth: "1990-02-30" });
    const badFile = join(dir, "bad.jsonl");
    writeFileSync(badFile, withBlanksAndCrlf(bad).text);
    const badDb = join(dir, "bad.sqlite");
    const failed = ee(["pool", "import", badFile, "--db", badDb, "--now", NOW]);
    expect(failed.status).toBe(2);
    expect(lineOf[at]).toBe(at + 1 + Math.floor(at / 997) + 1);
    expect(failed.stderr).toMatch(new RegExp(`^ee: line ${lineOf[at]}: dateOfBirth: `));
    expect(existsSync(badDb)).toBe(false);

    bad[at] = "{ not json";
    writeFileSync(badFile, withBlanksAndCrlf(bad).text);
    const notJson = ee(["pool", "import", badFile, "--db", badDb, "--now", NOW]);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(new RegExp(`^ee: line ${lineOf[at]}: .*not valid JSON`));
    expect(existsSync(badDb)).toBe(false);
  }, 300_000);

  it("a large file of blank lines holds no profiles: refused before any database is created", () => {
    const blank = join(dir, "blank.jsonl");
    writeFileSync(blank, "  \r\n\n".repeat(3 * 1024 * 1024));
    const db = join(dir, "blank.sqlite");
    const run = ee(["pool", "import", blank, "--db", db]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`ee: ${blank} holds no profiles\n`);
    expect(existsSync(db)).toBe(false);
  });
});
