/**
 * `--json` on every command: success is one JSON document on stdout; an error is one JSON object on
 * stderr, {"error": {exitCode, kind, message, errors?, line?}}, with the same message as the text form
 * ("ee: MESSAGE") and the same exit code. One pool, commands in the order a session would run them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ee, requireBuiltCli, type Run, tempDir } from "./ee.js";

requireBuiltCli();

const PHYSICIAN = JSON.parse(
  readFileSync(new URL("../examples/physician-profile.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
const AT = "2026-03-05T15:00:00Z";

type Json = Record<string, unknown>;

interface JsonError {
  error: {
    exitCode: number;
    kind: string;
    message: string;
    errors?: { field: string; message: string }[];
    line?: number;
  };
}

/** Runs a command with --json and returns its one JSON document (success: exit 0, nothing on stderr). */
function document<T = Json>(run: Run): T {
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** The JSON error of a failing --json run, checked against the same command's text error. */
function jsonError(args: string[], textArgs = args.filter((a) => a !== "--json")): JsonError["error"] {
  const run = ee(args);
  expect(run.stdout).toBe("");
  expect(run.stderr.endsWith("\n") && run.stderr.trimEnd().split("\n")).toHaveLength(1);
  const { error } = JSON.parse(run.stderr) as JsonError;
  expect(run.status).toBe(error.exitCode);
  const text = ee(textArgs);
  expect([text.status, text.stderr]).toEqual([error.exitCode, `ee: ${error.message}\n`]);
  return error;
}

describe("--json on every command", () => {
  let dir: string;
  let db: string;
  const profiles = (...ids: string[]) => {
    const file = join(dir, `${ids.join("-")}.jsonl`);
    writeFileSync(
      file,
      ids
        .map(
          (id, i) => `${JSON.stringify({ ...PHYSICIAN, id, submittedAt: `2026-01-0${i + 1}T10:00:00Z` })}\n`,
        )
        .join(""),
    );
    return file;
  };
  const round = (number: number) => [
    "round",
    "run",
    "--db",
    db,
    "--number",
    String(number),
    "--name",
    ROUND,
    "--kind",
    "category",
    "--invitations",
    "2",
    "--at",
    AT,
    "--json",
  ];

  beforeAll(() => {
    dir = tempDir();
    db = join(dir, "pool.sqlite");
  });

  it("pool import, update, stats", () => {
    expect(document(ee(["pool", "import", profiles("a", "b", "c"), "--db", db, "--json"]))).toEqual({
      imported: 3,
      db,
    });
    expect(document(ee(["pool", "update", profiles("c"), "--db", db, "--json"]))).toEqual({ updated: 1 });
    const stats = document<{ size: number }>(
      ee(["pool", "stats", "--as-of", "2026-03-05", "--db", db, "--json"]),
    );
    expect(stats.size).toBe(3);
  });

  it("round run (dry run and real), show, list", () => {
    expect(document(ee([...round(1), "--dry-run"]))).toMatchObject({
      number: 1,
      dryRun: true,
      invitations: 2,
    });
    expect(document(ee(round(1)))).toMatchObject({ number: 1, dryRun: false, invitations: 2 });
    expect(document(ee(["round", "show", "1", "--db", db, "--json"]))).toMatchObject({ number: 1 });
    expect(document<Json[]>(ee(["round", "list", "--db", db, "--json"])).map((r) => r.number)).toEqual([1]);
  });

  it("ita list, accept, decline", () => {
    const list = document<{ id: number; profileId: string }[]>(
      ee(["ita", "list", "1", "--db", db, "--json"]),
    );
    expect(list.map((i) => i.profileId)).toEqual(["a", "b"]);
    const [first, second] = list as unknown as [{ id: number }, { id: number }];
    const at = ["--at", "2026-03-10T12:00:00Z", "--db", db, "--json"];
    expect(document(ee(["ita", "accept", String(first.id), ...at]))).toMatchObject({
      invitation: { id: first.id, status: "accepted", respondedAt: "2026-03-10T12:00:00Z" },
      profileStatus: "applied",
    });
    expect(document(ee(["ita", "decline", String(second.id), ...at]))).toMatchObject({
      invitation: { id: second.id, status: "declined" },
      profileStatus: "in-pool",
    });
  });

  it("sweep, pool withdraw, pool export (JSON lines either way)", () => {
    expect(
      document(ee(["sweep", "--as-of", "2026-03-20", "--force", "--dry-run", "--db", db, "--json"])),
    ).toEqual({
      at: "2026-03-21T03:59:59Z",
      invitationsExpired: 0,
      profilesExpired: 0,
      becameIneligible: 0,
      becameEligible: 0,
      dryRun: true,
    });
    expect(document(ee(["pool", "withdraw", "c", "--db", db, "--json"]))).toEqual({ withdrawn: "c" });
    const exported = ee(["pool", "export", "--db", db, "--json"]);
    expect([exported.status, exported.stderr]).toEqual([0, ""]);
    expect(
      exported.stdout
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as Json).id),
    ).toEqual(["a", "b", "c"]);
  });

  it("crs, eligibility, rules", () => {
    expect(document(ee(["crs", "examples/single-ielts.json", "--json"]))).toMatchObject({ status: "scored" });
    expect(
      document(ee(["eligibility", "examples/physician-profile.json", "--as-of", "2026-02-19", "--json"])),
    ).toMatchObject({ status: "evaluated" });
    expect(document<{ crs: unknown[] }>(ee(["rules", "--json"])).crs.length).toBeGreaterThan(0);
  });

  describe("errors under --json: the text error's fields, structured, on stderr", () => {
    it("an import's bad record: its line and field errors (exit 2, invalid)", () => {
      const file = join(dir, "bad.jsonl");
      const { dateOfBirth: _omitted, ...noBirth } = PHYSICIAN;
      writeFileSync(
        file,
        [
          { ...PHYSICIAN, id: "x1" },
          { ...PHYSICIAN, id: "x2" },
          { ...noBirth, id: "x3" },
        ]
          .map((p) => `${JSON.stringify(p)}\n`)
          .join(""),
      );
      expect(jsonError(["pool", "import", file, "--db", db, "--json"])).toEqual({
        exitCode: 2,
        kind: "invalid",
        message: "line 3: dateOfBirth: is required",
        errors: [{ field: "dateOfBirth", message: "is required" }],
        line: 3,
      });
    });

    it("an invalid round: field errors, no line (exit 2)", () => {
      const error = jsonError([
        "round",
        "run",
        "--db",
        db,
        "--number",
        "2",
        "--name",
        ROUND,
        "--kind",
        "category",
        "--at",
        AT,
        "--json",
      ]);
      expect(error).toMatchObject({ exitCode: 2, kind: "invalid", errors: [{ field: "invitations" }] });
      expect(error).not.toHaveProperty("line");
    });

    it("a conflict (4) and a missing invitation (5)", () => {
      expect(jsonError(round(1))).toEqual({
        exitCode: 4,
        kind: "conflict",
        message: "round 1 has already been run; a round runs once",
      });
      expect(jsonError(["ita", "accept", "99", "--db", db, "--json"])).toEqual({
        exitCode: 5,
        kind: "not-found",
        message: "no invitation 99",
      });
    });

    it("bad arguments and input of crs (exit 2), without field errors", () => {
      expect(jsonError(["ita", "list", "0x1", "--db", db, "--json"])).toEqual({
        exitCode: 2,
        kind: "invalid",
        message: "ROUND: must be a positive whole number written with the digits 0-9 only (got '0x1')",
      });
      expect(jsonError(["crs", "no-such.json", "--json"]).message).toBe(
        "no-such.json: cannot read input (no such file)",
      );
    });

    it("commander's own usage errors: an unknown option, a missing argument, an unknown command", () => {
      for (const [args, message] of [
        [["crs", "--bogus", "--json"], "unknown option '--bogus'"],
        [["ita", "accept", "--json"], "missing required argument 'ID'"],
        [["pool", "bogus", "--json"], "unknown command 'bogus'"],
      ] as const) {
        const run = ee([...args]);
        expect(run.stdout).toBe("");
        expect([run.status, JSON.parse(run.stderr)], args.join(" ")).toEqual([
          2,
          { error: { exitCode: 2, kind: "invalid", message } },
        ]);
        // Without --json, commander's text says the same.
        expect(ee(args.filter((a) => a !== "--json")).stderr).toBe(`error: ${message}\n`);
      }
    });
  });
});
