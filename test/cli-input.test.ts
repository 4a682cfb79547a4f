/**
 * What `ee` refuses before it writes anything: an import with no profiles, and a 60th second in any
 * instant it reads (options, a round file's `at`, a profile's `submittedAt`), which Temporal would
 * otherwise read as the 59th.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { instantOption } from "../src/adapters/cli/args.js";
import { ee, requireBuiltCli, tempDir } from "./ee.js";

requireBuiltCli();

const PHYSICIAN = JSON.parse(
  readFileSync(new URL("../examples/physician-profile.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
const NOW = "2026-02-01T12:00:00Z";

describe("an import or update with no profiles is refused (exit 2) and creates nothing", () => {
  it.each([
    ["empty.jsonl", ""],
    ["blank.jsonl", "\n  \n\n"],
    ["empty-array.json", "[]"],
    ["empty-array-spaced.json", "  [ ]\n"],
  ])("%s", (name, text) => {
    const dir = tempDir();
    const file = join(dir, name);
    writeFileSync(file, text);
    const db = join(dir, "pool.sqlite");
    for (const command of ["import", "update"]) {
      const run = ee(["pool", command, file, "--db", db]);
      expect([run.status, run.stderr, run.stdout], command).toEqual([
        2,
        `ee: ${file} holds no profiles\n`,
        "",
      ]);
    }
    expect(existsSync(db)).toBe(false);
  });

  it("from standard input", () => {
    const db = join(tempDir(), "pool.sqlite");
    const run = ee(["pool", "import", "-", "--db", db], { stdin: "" });
    expect([run.status, run.stderr]).toEqual([2, "ee: standard input holds no profiles\n"]);
    expect(existsSync(db)).toBe(false);
  });
});

describe("a 60th second is refused wherever the CLI reads an instant", () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = tempDir();
    db = join(dir, "pool.sqlite");
    const file = join(dir, "one.jsonl");
    writeFileSync(file, `${JSON.stringify({ ...PHYSICIAN, id: "p1" })}\n`);
    expect(ee(["pool", "import", file, "--db", db, "--now", NOW]).status).toBe(0);
  });

  it("instantOption: a timestamp, or a date as the end of that day in Ottawa; :60 and other forms are refused", () => {
    expect(instantOption("2026-02-19T14:24:59Z", "--at")).toBe("2026-02-19T14:24:59.000Z");
    expect(instantOption("2026-02-19", "--as-of")).toBe("2026-02-20T04:59:59.000Z");
    for (const bad of [
      "2026-02-19T14:24:60Z",
      "2026-02-19T23:59:60.5Z",
      "2026-02-19 14:24:23Z",
      "2026-02-19T14Z",
    ])
      expect(() => instantOption(bad, "--at"), bad).toThrow(/^--at: must be a UTC timestamp like/);
    expect(() => instantOption("2026-02-19", "--at", { dates: false })).toThrow(/^--at: must be a UTC/);
    expect(() => instantOption("2026-02-30", "--as-of")).toThrow(
      "--as-of: 2026-02-30 is not a real calendar date",
    );
  });

  const leap = (name: string, dates = true) =>
    `ee: ${name}: must be a UTC timestamp like 2026-02-19T14:24:23Z (seconds 00-59)${dates ? " or a date YYYY-MM-DD" : ""}; a 60th second is not accepted (got '2026-02-19T14:24:60Z')\n`;

  it.each([
    [["pool", "import", "examples/physician-profile.json", "--now", "2026-02-19T14:24:60Z"], leap("--now")],
    [["pool", "stats", "--as-of", "2026-02-19T14:24:60Z"], leap("--as-of")],
    [["sweep", "--as-of", "2026-02-19T14:24:60Z", "--force"], leap("--as-of")],
    [["ita", "accept", "1", "--at", "2026-02-19T14:24:60Z"], leap("--at")],
    [["ita", "decline", "1", "--at", "2026-02-19T14:24:60Z"], leap("--at")],
    [
      [
        "round",
        "run",
        "--number",
        "1",
        "--name",
        ROUND,
        "--kind",
        "category",
        "--invitations",
        "1",
        "--at",
        "2026-02-19T14:24:60Z",
      ],
      leap("--at", false),
    ],
  ])("ee %j", (args, stderr) => {
    const run = ee([...args, "--db", db]);
    expect([run.status, run.stderr, run.stdout]).toEqual([2, stderr, ""]);
  });

  it("a round file's at", () => {
    const file = join(dir, "round.json");
    const round = { number: 1, name: ROUND, kind: "category", invitations: 1, at: "2026-02-19T14:24:60Z" };
    writeFileSync(file, JSON.stringify(round));
    const run = ee(["round", "run", file, "--db", db, "--dry-run"]);
    expect([run.status, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toBe(
      "ee: invalid round: at: must be a UTC timestamp like 2026-02-19T14:24:23Z (seconds 00-59)\n",
    );
    // The same file with the 59th second runs.
    writeFileSync(file, JSON.stringify({ ...round, at: "2026-02-19T14:24:59Z" }));
    expect(ee(["round", "run", file, "--db", db, "--dry-run"]).status).toBe(0);
  });

  it("a profile's submittedAt (the profile schema refuses it; the import names the line and the field)", () => {
    const file = join(dir, "leap.jsonl");
    writeFileSync(
      file,
      [{ id: "ok" }, { id: "leap", submittedAt: "2026-01-31T23:59:60Z" }]
        .map((p) => `${JSON.stringify({ ...PHYSICIAN, ...p })}\n`)
        .join(""),
    );
    const run = ee(["pool", "import", file, "--db", db]);
    expect([run.status, run.stdout]).toEqual([2, ""]);
    expect(run.stderr).toMatch(
      /^ee: line 2: submittedAt: must be a UTC timestamp like 2026-01-03T03:25:14Z\n$/,
    );
    const exported = ee(["pool", "export", "--db", db]);
    expect(
      exported.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual(["p1"]);
  });
});
