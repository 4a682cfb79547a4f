/**
 * `ee pool|round|ita|sweep` as a child process from the built dist/ (run `npm run build` first), each
 * scenario on its own SQLite file in a fresh temporary directory. Spawns are kept few (~0.3 s each).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { DatabaseFileError, openSqliteStore } from "../src/adapters/store/sqlite.js";
import { importProfiles } from "../src/app/pool-service.js";
import type { StoredInvitation, StoredRound } from "../src/app/ports.js";
import type { PublishedRound } from "../src/app/round-service.js";
import { validateProfile } from "../src/domain/eligibility/report.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { ee as runEe, requireBuiltCli, type Run, tempDir as newTempDir } from "./ee.js";

requireBuiltCli();
const PHYSICIAN = JSON.parse(
  readFileSync(new URL("../examples/physician-profile.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const PHYSICIANS_ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
const AT = "2026-03-05T15:00:00Z";
const NOW = "2026-02-01T12:00:00Z";

type Json = Record<string, unknown>;

/** `ee args…` in the repository, with these variables added to the environment (EE_DB unset otherwise). */
const ee = (args: string[], env: NodeJS.ProcessEnv = {}): Run => runEe(args, { env });

const parsed = <T>(run: Run): T => JSON.parse(run.stdout) as T;

function physician(id: string, overrides: Json = {}): Json {
  return structuredClone({ ...PHYSICIAN, id, ...overrides });
}

/** Three physicians: "a" scores highest; "b" and "c" tie, "b" submitted earlier. */
const TRIO = [
  physician("a", { dateOfBirth: "1995-01-01", submittedAt: "2026-01-03T10:00:00Z" }),
  physician("b", { submittedAt: "2026-01-01T08:30:00Z" }),
  physician("c", { submittedAt: "2026-01-02T09:45:00Z" }),
];

const jsonLines = (values: readonly Json[]) => values.map((v) => `${JSON.stringify(v)}\n`).join("");

const tempDir = () => newTempDir("ee-pool-cli-");

describe("ee pool", () => {
  let dir: string;
  let db: string;
  const fresh = () => {
    dir = tempDir();
    db = join(dir, "pool.sqlite");
  };
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("import with a bad line: exit 2, stderr names the line and the field, and nothing is stored", () => {
    fresh();
    const noBirth = physician("p3");
    delete noBirth.dateOfBirth;
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, jsonLines([physician("p1"), physician("p2"), noBirth, physician("p4")]));

    const run = ee(["pool", "import", file, "--db", db, "--now", NOW]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/line 3/);
    expect(run.stderr).toContain("dateOfBirth");
    expect(run.stdout).toBe("");

    // The import created the database and removed it again when the import failed.
    expect(existsSync(db)).toBe(false);
    const exported = ee(["pool", "export", "--db", db]);
    expect(exported.status).toBe(2);
    expect(exported.stdout).toBe("");
  });

  it("import of JSON lines (exit 0), export round-trips ids and submittedAt, stats --json shape", () => {
    fresh();
    const noTime = physician("d");
    delete noTime.submittedAt;
    const file = join(dir, "profiles.jsonl");
    // A blank line in the middle is skipped.
    writeFileSync(file, jsonLines(TRIO) + "\n" + jsonLines([noTime]));

    const run = ee(["pool", "import", file, "--db", db, "--now", NOW]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`imported 4 profiles into ${db}\n`);

    const exported = ee(["pool", "export", "--db", db]);
    expect(exported.status).toBe(0);
    const lines = exported.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => [l.id, l.submittedAt])).toEqual([
      ["a", "2026-01-03T10:00:00Z"],
      ["b", "2026-01-01T08:30:00Z"],
      ["c", "2026-01-02T09:45:00Z"],
      ["d", NOW],
    ]);
    expect(lines[0]?.dateOfBirth).toBe("1995-01-01");
    // What the help promises: the profile with its id and submittedAt, no status.
    expect(ee(["pool", "export", "--help"]).stdout.replace(/\s+/g, " ")).toContain(
      "Write every profile, of any status, as JSON lines: the profile with its id and submittedAt",
    );
    for (const l of lines) expect(l).not.toHaveProperty("status");
    // Each exported line is a valid profile again (export → import round trip).
    const book = defaultRuleBook();
    for (const l of lines) expect(validateProfile(l, book).status, String(l.id)).toBe("ok");

    const stats = ee(["pool", "stats", "--db", db, "--as-of", "2026-03-05", "--json"]);
    expect(stats.status).toBe(0);
    const s = parsed<{
      at: string;
      date: string;
      size: number;
      notEligible: number;
      byStatus: Record<string, number>;
      distribution: { source: string; bands: Json[] };
    }>(stats);
    expect(Object.keys(s).sort()).toEqual(["at", "byStatus", "date", "distribution", "notEligible", "size"]);
    // A date means the end of that day in Ottawa (EST in March: UTC-5).
    expect(s).toMatchObject({ at: "2026-03-06T04:59:59Z", date: "2026-03-05", size: 4, notEligible: 0 });
    expect(s.byStatus).toEqual({ "in-pool": 4 });
    expect(s.distribution.source).toMatch(/^https:\/\/www\.canada\.ca\//);
    expect(s.distribution.bands).toHaveLength(18);
    for (const b of s.distribution.bands)
      expect(Object.keys(b).sort()).toEqual(["count", "key", "label", "level", "subtotal"]);
    const byLabel = new Map(s.distribution.bands.map((b) => [b.label, b.count]));
    expect(byLabel.get("Total")).toBe(4);
    expect(byLabel.get("451-500")).toBe(4);
  });
});

describe("ee round / ita / sweep on one database", () => {
  let dir: string;
  let db: string;
  const roundFlags = (number: number, invitations: number) => [
    "--db",
    db,
    "--number",
    String(number),
    "--name",
    PHYSICIANS_ROUND,
    "--kind",
    "category",
    "--invitations",
    String(invitations),
    "--at",
    AT,
  ];

  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, "pool.sqlite");
    // Seeded through the library (import itself is covered above), to spare a spawn.
    const store = await openSqliteStore(db);
    try {
      await importProfiles(
        store,
        TRIO.map((value, i) => ({ line: i + 1, value })),
        { book: defaultRuleBook(), now: NOW },
      );
    } finally {
      await store.close();
    }
  });

  it("round run with flags: exit 0 and the published fields", () => {
    const run = ee(["round", "run", ...roundFlags(1, 2)]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(`Round #1: ${PHYSICIANS_ROUND}`);
    expect(run.stdout).not.toContain("dry run");
    expect(run.stdout).toMatch(/Number of invitations issued: +2\n/);
    expect(run.stdout).toMatch(/Rank required to be invited to apply: +2 or above\n/);
    expect(run.stdout).toMatch(
      /Date and time of round: +2026-03-05T15:00:00Z \(eligibility as of 2026-03-05\)/,
    );
    expect(run.stdout).toMatch(/CRS score of lowest-ranked invited: +\d+\n/);
    // b and c tie at the cut-off; b, submitted first, is invited, so the tie-break is b's submission time.
    expect(run.stdout).toMatch(/Tie-breaking rule: +2026-01-01T08:30:00Z\n/);
    expect(run.stdout).toMatch(/Eligible candidates in the group: +3\n/);
    expect(run.stdout).toMatch(/Total +3\n/);
  });

  it("the same round number again: exit 4 (conflict)", () => {
    const run = ee(["round", "run", ...roundFlags(1, 2)]);
    expect(run.status).toBe(4);
    expect(run.stderr).toMatch(/round 1 has already been run/);
    expect(run.stdout).toBe("");
  });

  it("round show N --json: the stored round with its invitees in rank order", () => {
    const run = ee(["round", "show", "1", "--db", db, "--json"]);
    expect(run.status).toBe(0);
    const r = parsed<PublishedRound>(run);
    expect(r).toMatchObject({
      number: 1,
      name: PHYSICIANS_ROUND,
      kind: "category",
      categoryVersion: "physicians-2026-v1",
      invitationsRequested: 2,
      invitations: 2,
      rankRequired: "2 or above",
      at: AT,
      tieBreak: "2026-01-01T08:30:00Z",
      eligible: 3,
      shortfall: 0,
      dryRun: false,
    });
    expect(r.invited.map((c) => [c.rank, c.id])).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    expect(r.cutoffCrs).toBe(r.invited[1]?.crs);
  });

  it("ita list, ita accept ID (exit 0), accepting again (exit 4), then sweep --as-of lapses the other", () => {
    const list = ee(["ita", "list", "1", "--db", db, "--json"]);
    expect(list.status).toBe(0);
    const invitations = parsed<StoredInvitation[]>(list);
    expect(invitations.map((i) => [i.rank, i.profileId, i.status, i.issuedAt, i.expiresAt])).toEqual([
      [1, "a", "issued", AT, "2026-05-04T15:00:00Z"],
      [2, "b", "issued", AT, "2026-05-04T15:00:00Z"],
    ]);
    const id = String(invitations[0]?.id);

    const accept = ee(["ita", "accept", id, "--db", db, "--at", "2026-03-10T12:00:00Z"]);
    expect(accept.status).toBe(0);
    expect(accept.stdout).toBe(`invitation ${id} accepted; profile a is now applied\n`);

    const again = ee(["ita", "accept", id, "--db", db, "--at", "2026-03-11T12:00:00Z"]);
    expect(again.status).toBe(4);
    expect(again.stderr).toContain("already accepted");

    // 2026-05-10 (end of day, Ottawa) is past the 60-day deadline of b's invitation. --force: the
    // date may be more than 400 days from the day the test runs.
    const sweepTo = ["sweep", "--db", db, "--as-of", "2026-05-10", "--force", "--json"];
    const expected = {
      at: "2026-05-11T03:59:59Z",
      invitationsExpired: 1,
      profilesExpired: 0,
      becameIneligible: 0,
      becameEligible: 0,
    };
    // A dry run reports the same sweep and stores nothing: b's invitation is still issued after it.
    const dry = ee([...sweepTo, "--dry-run"]);
    expect(dry.status).toBe(0);
    expect(parsed<Json>(dry)).toEqual({ ...expected, dryRun: true });
    const stillIssued = parsed<StoredInvitation[]>(ee(["ita", "list", "1", "--db", db, "--json"]));
    expect(stillIssued.map((i) => i.status)).toEqual(["accepted", "issued"]);

    const swept = ee(sweepTo);
    expect(swept.status).toBe(0);
    expect(parsed<Json>(swept)).toEqual({ ...expected, dryRun: false });
  });
  it("what the store does not hold is not found (exit 5), not a conflict, and an unknown round is no silent empty list", () => {
    const cases: [string[], string][] = [
      [["ita", "accept", "999"], "ee: no invitation 999\n"],
      [["ita", "decline", "999", "--at", "2026-03-10T12:00:00Z"], "ee: no invitation 999\n"],
      [["ita", "list", "7"], "ee: no round 7\n"],
      [
        ["ita", "list", "7", "--json"],
        `${JSON.stringify({ error: { exitCode: 5, kind: "not-found", message: "no round 7" } })}\n`,
      ],
      [["round", "show", "7"], "ee: no round 7\n"],
      [["pool", "withdraw", "ghost"], "ee: no profile ghost in the pool\n"],
    ];
    for (const [args, stderr] of cases) {
      const run = ee([...args, "--db", db]);
      expect([run.status, run.stderr, run.stdout], args.join(" ")).toEqual([5, stderr, ""]);
    }
  });
});

describe("ee with a --db or EE_DB where there is no pool", () => {
  const noPool = (path: string, why: string) =>
    `ee: ${path}: ${why}; import profiles first (ee pool import FILE), or check --db or EE_DB\n`;

  it("only pool import creates a database: every other command refuses a missing file (exit 2) and creates none", () => {
    const dir = tempDir();
    const missing = join(dir, "typo.sqlite");
    const profiles = join(dir, "one.jsonl");
    writeFileSync(profiles, jsonLines([physician("p1")]));
    const round = ["--number", "1", "--name", PHYSICIANS_ROUND, "--kind", "category", "--invitations", "1"];
    for (const [args, env] of [
      [["pool", "stats", "--db", missing]],
      [["pool", "stats"], { EE_DB: missing }],
      [["round", "run", ...round, "--at", AT, "--db", missing]],
      [["round", "run", ...round, "--at", AT, "--dry-run"], { EE_DB: missing }],
      [["sweep", "--as-of", "2026-03-01", "--db", missing]],
      [["sweep", "--as-of", "2026-03-01"], { EE_DB: missing }],
      [["pool", "export", "--db", missing]],
      [["pool", "update", profiles, "--db", missing]],
      [["pool", "withdraw", "p1", "--db", missing]],
      [["round", "list", "--db", missing]],
      [["round", "show", "1", "--db", missing]],
      [["ita", "list", "1", "--db", missing]],
      [["ita", "accept", "1", "--db", missing]],
    ] as [string[], NodeJS.ProcessEnv?][]) {
      const run = ee(args, env);
      expect([run.status, run.stderr, run.stdout], args.join(" ")).toEqual([
        2,
        noPool(missing, "no such database"),
        "",
      ]);
    }
    expect(readdirSync(dir)).toEqual(["one.jsonl"]);

    const imported = ee(["pool", "import", profiles, "--db", missing, "--now", NOW]);
    expect(imported.status).toBe(0);
    expect(ee(["pool", "stats", "--db", missing, "--as-of", "2026-03-01"]).status).toBe(0);
  });

  it("an empty file, or another program's SQLite database, holds no pool (exit 2) and is left unchanged", async () => {
    const dir = tempDir();
    const empty = join(dir, "empty.sqlite");
    writeFileSync(empty, "");
    const other = join(dir, "other.sqlite");
    const sqlite = new Database(other);
    sqlite.exec("CREATE TABLE notes (text TEXT)");
    sqlite.close();
    const before = readFileSync(other);
    for (const path of [empty, other]) {
      const run = ee(["pool", "stats", "--db", path]);
      expect([run.status, run.stderr], path).toEqual([2, noPool(path, "holds no pool")]);
    }
    expect(readFileSync(empty, "utf8")).toBe("");
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it("openSqliteStore(path, { create: false }) refuses a missing file; :memory: still opens", async () => {
    const missing = join(tempDir(), "missing.sqlite");
    await expect(openSqliteStore(missing, { create: false })).rejects.toThrow(DatabaseFileError);
    expect(existsSync(missing)).toBe(false);
    const memory = await openSqliteStore(":memory:", { create: false });
    expect(await memory.countProfiles()).toBe(0);
    await memory.close();
  });
});

describe("ee with a --db or EE_DB that is not a SQLite database", () => {
  it("exits 2 naming the file, for every command that opens the pool, and leaves the file alone", () => {
    const file = join(tempDir(), "notes.txt");
    writeFileSync(file, "not a database\n");
    const imports = join(tempDir(), "one.jsonl");
    writeFileSync(imports, jsonLines([physician("p1")]));
    for (const args of [
      ["pool", "import", imports, "--now", NOW],
      ["pool", "stats"],
      ["pool", "export"],
      ["round", "list"],
      ["ita", "list", "1"],
      ["sweep", "--as-of", "2026-03-01"],
    ]) {
      for (const env of [{}, { EE_DB: file }]) {
        const run = ee(env.EE_DB ? args : [...args, "--db", file], env);
        expect([run.status, run.stderr, run.stdout], args.join(" ")).toEqual([
          2,
          `ee: ${file}: is not a SQLite database (check --db or EE_DB)\n`,
          "",
        ]);
      }
    }
    expect(readFileSync(file, "utf8")).toBe("not a database\n");
  });
});

describe("ee sweep: one typo must not expire the whole pool", () => {
  const DAY = 86_400_000;
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const db = () => {
    const path = join(tempDir(), "pool.sqlite");
    const imports = join(tempDir(), "one.jsonl");
    writeFileSync(imports, jsonLines([physician("p1")]));
    expect(ee(["pool", "import", imports, "--db", path, "--now", NOW]).status).toBe(0);
    return path;
  };

  it("an --as-of more than 400 days before or after now is refused (exit 2) unless --force; the text says why and how", () => {
    const path = db();
    const now = Date.now();
    for (const [asOf, direction] of [
      [date(now - 402 * DAY), "before"],
      [date(now + 402 * DAY), "after"],
      ["2016-01-01", "before"],
    ] as const) {
      const run = ee(["sweep", "--db", path, "--as-of", asOf]);
      expect(run.status, asOf).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        new RegExp(
          `^ee: --as-of: ${asOf} is \\d+ days ${direction} now; a sweep that far could lapse every invitation and expire the whole pool\\. Check the date, or add --force to sweep to it anyway`,
        ),
      );
    }
    // The profile is still in the pool: nothing was swept.
    const stats = ee(["pool", "stats", "--db", path, "--as-of", "2026-03-01", "--json"]);
    expect(parsed<{ byStatus: Json }>(stats).byStatus).toEqual({ "in-pool": 1 });
    // Within 400 days it runs without --force; with --force any date runs.
    const near = ee(["sweep", "--db", path, "--as-of", date(now - 398 * DAY), "--dry-run"]);
    expect(near.status).toBe(0);
    expect(near.stdout).toMatch(/ \(dry run: nothing stored\): 0 invitations lapsed, /);
    const forced = ee(["sweep", "--db", path, "--as-of", date(now + 3650 * DAY), "--force"]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/: 0 invitations lapsed, 1 profiles expired, /);
  });
});

describe("ee round: dry runs and invalid rounds", () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = tempDir();
    db = join(dir, "pool.sqlite");
    const store = await openSqliteStore(db);
    try {
      await importProfiles(
        store,
        TRIO.map((value, i) => ({ line: i + 1, value })),
        { book: defaultRuleBook(), now: NOW },
      );
    } finally {
      await store.close();
    }
  });

  it("round run --dry-run --json: dryRun true and nothing stored (round list is empty); EE_DB selects the file", () => {
    const run = ee(
      [
        "round",
        "run",
        "--number",
        "3",
        "--name",
        PHYSICIANS_ROUND,
        "--kind",
        "category",
        "--invitations",
        "5",
        "--at",
        AT,
        "--dry-run",
        "--json",
      ],
      { EE_DB: db },
    );
    expect(run.status).toBe(0);
    const r = parsed<PublishedRound>(run);
    expect(r).toMatchObject({ number: 3, dryRun: true, invitations: 3, eligible: 3, shortfall: 2 });
    expect(r.invited.map((c) => c.id)).toEqual(["a", "b", "c"]);

    const list = ee(["round", "list", "--json"], { EE_DB: db });
    expect(list.status).toBe(0);
    expect(parsed<StoredRound[]>(list)).toEqual([]);
  });

  it("an invalid round exits 2 and names the field (missing --invitations; unknown category name)", () => {
    const missing = ee([
      "round",
      "run",
      "--db",
      db,
      "--number",
      "4",
      "--name",
      PHYSICIANS_ROUND,
      "--kind",
      "category",
      "--at",
      AT,
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/invalid round: .*invitations/);

    const unknown = ee([
      "round",
      "run",
      "--db",
      db,
      "--number",
      "4",
      "--name",
      "Astronauts, 2026-Version 1",
      "--kind",
      "category",
      "--invitations",
      "10",
      "--at",
      AT,
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/invalid round: name: .*Astronauts/);
  });

  // Regression (was a bug): `round run FILE` reads and parses FILE with bare readFileSync/JSON.parse, so a missing (or
  // malformed) round file is an "internal error" with exit 1; invalid input is exit 2 (main.ts), as
  // for `ee crs missing.json` and `ee pool import missing.json`.
  it("round run with a missing round file exits 2 (invalid input), not 1", () => {
    const run = ee(["round", "run", join(dir, "no-such-round.json"), "--db", db]);
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain("internal error");
  });
});
