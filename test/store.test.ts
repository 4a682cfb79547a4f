/**
 * The pool and rounds on a real database, SQLite and PostgreSQL (store-backends.ts; a fresh database
 * per test): migrations, all-or-nothing import, updates, atomic rounds, invitations, the sweep and the
 * pool statistics.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { migrationProvider } from "../src/adapters/store/migrations.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../src/adapters/store/open.js";
import { BACKENDS, type TestDatabase } from "./store-backends.js";
import { readRecords } from "../src/adapters/cli/records.js";
import {
  type ImportRecord,
  importProfiles,
  PoolInputError,
  poolStats,
  sweep,
  updateProfiles,
  withdrawProfile,
} from "../src/app/pool-service.js";
import type { PoolStore, ProfileStatus, StoredInvitation } from "../src/app/ports.js";
import {
  ConflictError,
  NotFoundError,
  RoundInputError,
  respond,
  runRound,
} from "../src/app/round-service.js";
import { validateProfile } from "../src/domain/eligibility/report.js";
import { evaluateForRound, ottawaDate } from "../src/domain/rounds/round.js";
import { defaultRuleBook } from "../src/rules/index.js";

const BOOK = defaultRuleBook();
const PHYSICIAN = JSON.parse(
  readFileSync(new URL("../examples/physician-profile.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const PHYSICIANS_ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
/** A round instant well inside the physicians category (effective 2025-12-08). */
const AT = "2026-03-05T15:00:00Z";
/** AT + 60 days (the invitation window in force since 2017-06-06). */
const ITA_DEADLINE = "2026-05-04T15:00:00Z";
const NOW = "2026-02-01T12:00:00Z";

type Json = Record<string, unknown>;

/** The example physician (NOC 31102, in Canada since 2024-09-02) under another id. */
function physician(id: string, overrides: Json = {}): Json {
  return structuredClone({ ...PHYSICIAN, id, ...overrides });
}

/** Same person, but a software engineer (NOC 21231): eligible for FSW/CEC, not for the physicians category. */
function engineer(id: string, overrides: Json = {}): Json {
  const work = (PHYSICIAN.workHistory as Json[]).map((w) => ({ ...w, noc: "21231" }));
  return physician(id, { workHistory: work, ...overrides });
}

const jan = (day: number, time = "10:00:00") => `2026-01-${String(day).padStart(2, "0")}T${time}Z`;

function records(values: readonly unknown[]): ImportRecord[] {
  return values.map((value, i) => ({ line: i + 1, value }));
}

/** The CRS of a profile on the Ottawa date of `at`, as the engine computes it (expectations follow the rules). */
function crsOf(value: Json, at = AT): number {
  const v = validateProfile(value, BOOK);
  if (v.status !== "ok") throw new Error(`invalid fixture: ${JSON.stringify(v)}`);
  const crs = evaluateForRound(v.profile, ottawaDate(at), BOOK).crs;
  if (crs === null) throw new Error("fixture cannot be scored");
  return crs;
}

function physiciansRound(number: number, invitations: number, at = AT) {
  return { number, name: PHYSICIANS_ROUND, kind: "category", invitations, at };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

let database: TestDatabase;
let dbFile: string;
let dir: string;
const opened: PoolStore[] = [];

async function open(path = dbFile): Promise<PoolStore> {
  const store = await openStore(path);
  opened.push(store);
  return store;
}

async function close(store: PoolStore): Promise<void> {
  opened.splice(opened.indexOf(store), 1);
  await store.close();
}

/** Reads a table straight from the database (a second connection), so nothing goes through the store. */
function rawCount(table: string): Promise<number> {
  return database.count(table);
}

async function statuses(store: PoolStore): Promise<Record<string, ProfileStatus>> {
  const out: Record<string, ProfileStatus> = {};
  for await (const page of store.profilesWithStatus([])) for (const p of page) out[p.id] = p.status;
  return out;
}

async function statusOf(store: PoolStore, id: string): Promise<ProfileStatus | undefined> {
  return (await store.getProfile(id))?.status;
}

for (const backend of BACKENDS)
  describe.skipIf(!backend.available)(`on ${backend.name}`, () => {
    const sqliteOnly = backend.name === "sqlite";

    beforeEach(async () => {
      database = await backend.create("store");
      dbFile = database.location;
      // A directory for files a test writes beside the database.
      dir = mkdtempSync(join(tmpdir(), "ee-store-files-"));
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await database.remove();
      rmSync(dir, { recursive: true, force: true });
    });

    describe("migrations", () => {
      it("create the schema in a new database, and reopening neither re-runs them nor loses data", async () => {
        if (sqliteOnly) expect(existsSync(dbFile)).toBe(false);
        const first = await open();
        if (sqliteOnly) expect(existsSync(dbFile)).toBe(true);
        expect(await first.countProfiles()).toBe(0);
        expect(await first.listRounds()).toEqual([]);
        await importProfiles(first, records([physician("a")]), { book: BOOK, now: NOW });
        await close(first);

        const tables = await database.tables();
        const applied = (await database.migrations()).map((name) => ({ name }));
        expect(tables).toEqual(
          expect.arrayContaining([
            "invitations",
            "profiles",
            "rounds",
            "history_rounds",
            "history_sync",
            "profile_tokens",
          ]),
        );
        expect(applied).toEqual([
          { name: "0001-pool-and-rounds" },
          { name: "0002-evaluation-validity-and-ranking" },
          { name: "0003-round-history" },
          { name: "0004-profile-tokens" },
        ]);

        for (let i = 0; i < 2; i++) {
          const again = await open();
          expect(await again.countProfiles()).toBe(1);
          expect((await again.getProfile("a"))?.submittedAt).toBe(PHYSICIAN.submittedAt);
          await close(again);
        }
        expect(await rawCount("kysely_migration")).toBe(4);
      });
    });

    // The first schema was only ever released on SQLite.
    describe.skipIf(!sqliteOnly)("migrating a pool of the first schema", () => {
      it("keeps every profile, status, round and invitation, and evaluates anew", async () => {
        // A file as the first release wrote it: migrated to 0001 only, with an evaluation cached the old way.
        const sqlite = new Database(dbFile);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the first schema, untyped on purpose
        const old = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
        const { error } = await new Migrator({ db: old, provider: migrationProvider }).migrateTo(
          "0001-pool-and-rounds",
        );
        expect(error).toBeUndefined();
        const insert = sqlite.prepare(
          `INSERT INTO profiles (id, submitted_at, expires_at, status, data, evaluated_on, crs, in_pool, groups, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '2026-03-05', 999, 1, ',program:CEC,', ?, ?)`,
        );
        for (const [id, status] of [
          ["a", "in-pool"],
          ["b", "invited"],
        ] as const)
          insert.run(
            id,
            "2025-12-20T16:05:00.000Z",
            "2026-12-20T16:05:00.000Z",
            status,
            JSON.stringify((validateProfile(physician(id), BOOK) as { profile: unknown }).profile),
            NOW,
            NOW,
          );
        sqlite
          .prepare(
            `INSERT INTO rounds VALUES (1, 'No Program Specified', 'general', NULL, NULL, 1, '2026-03-05T15:00:00.000Z', '2026-03-05', 1, 1, 999, NULL, '{"source":"","bands":[]}', ?)`,
          )
          .run(NOW);
        sqlite
          .prepare(
            "INSERT INTO invitations (round_number, profile_id, rank, crs, issued_at, expires_at, status) VALUES (1, 'b', 1, 999, '2026-03-05T15:00:00.000Z', '2026-05-04T15:00:00.000Z', 'issued')",
          )
          .run();
        await old.destroy();

        const store = await open();
        expect((await store.getProfile("a"))?.status).toBe("in-pool");
        expect((await store.getProfile("b"))?.status).toBe("invited");
        expect((await store.getProfile("a"))?.profile.id).toBe("a");
        // The old cache (CRS 999) had no validity: it is gone, and the next refresh evaluates the profile.
        expect((await store.getProfile("a"))?.evaluation).toBeNull();
        expect(await store.staleProfileIds("2026-03-05", ["in-pool"])).toEqual(["a"]);
        expect((await store.listRounds()).map((r) => r.number)).toEqual([1]);
        expect((await store.invitationsOfRound(1)).map((i) => [i.profileId, i.status])).toEqual([
          ["b", "issued"],
        ]);
        const round = await runRound(
          store,
          { number: 2, name: "No Program Specified", kind: "general", invitations: 5, at: AT },
          { book: BOOK },
        );
        expect(round.invited.map((c) => c.id)).toEqual(["a"]);
        expect(round.cutoffCrs).toBe(crsOf(physician("a")));
      });
    });

    describe("import", () => {
      it("stores valid records in-pool with submittedAt (given or options.now) and expiresAt 12 months later", async () => {
        const store = await open();
        const noTime = physician("no-time");
        delete noTime.submittedAt;
        const noId = physician("x");
        delete noId.id;
        const result = await importProfiles(store, records([physician("given"), noTime, noId]), {
          book: BOOK,
          now: NOW,
        });
        expect(result).toEqual({ imported: 3 });
        expect(await store.countProfiles()).toBe(3);

        const given = await store.getProfile("given");
        expect(given).toMatchObject({
          id: "given",
          submittedAt: "2025-12-20T16:05:00Z",
          expiresAt: "2026-12-20T16:05:00Z",
          status: "in-pool",
          evaluatedOn: null,
          evaluation: null,
        });
        expect(given?.profile).toMatchObject({ id: "given", submittedAt: "2025-12-20T16:05:00Z" });

        const now = await store.getProfile("no-time");
        expect(now).toMatchObject({ submittedAt: NOW, expiresAt: "2027-02-01T12:00:00Z", status: "in-pool" });
        expect(now?.profile.submittedAt).toBe(NOW);

        // A record without an id gets a generated one.
        const ids = Object.keys(await statuses(store)).filter((id) => id !== "given" && id !== "no-time");
        expect(ids).toHaveLength(1);
        expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      });

      it("keeps JSON-lines numbers: a bad record on line 3 of 5 names line 3 and the field; nothing is written", async () => {
        const store = await open();
        const badNoc = physician("p3");
        (badNoc.workHistory as Json[])[0] = { ...(badNoc.workHistory as Json[])[0], noc: "99999" };
        const file = join(dir, "profiles.jsonl");
        writeFileSync(
          file,
          [physician("p1"), physician("p2"), badNoc, physician("p4"), physician("p5")]
            .map((p) => JSON.stringify(p))
            .join("\n"),
        );
        const lines = readRecords(file);
        expect(lines.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);

        const error = await rejection(importProfiles(store, lines, { book: BOOK, now: NOW }));
        expect(error).toBeInstanceOf(PoolInputError);
        expect(error).toMatchObject({ line: 3, errors: [{ field: "workHistory.0.noc" }] });
        expect((error as Error).message).toMatch(/^line 3: workHistory\.0\.noc: .*99999/);
        expect(await store.countProfiles()).toBe(0);
        expect(await rawCount("profiles")).toBe(0);
      });

      it("a missing dateOfBirth on line 3 names line 3 and dateOfBirth; nothing is written", async () => {
        const store = await open();
        const noBirth = physician("p3");
        delete noBirth.dateOfBirth;
        const values = [physician("p1"), physician("p2"), noBirth, physician("p4"), physician("p5")];
        const error = await rejection(importProfiles(store, records(values), { book: BOOK, now: NOW }));
        expect(error).toBeInstanceOf(PoolInputError);
        expect(error).toMatchObject({ line: 3, errors: [{ field: "dateOfBirth", message: "is required" }] });
        expect(await store.countProfiles()).toBe(0);
      });

      it("a repeated id inside the file names the repeating line (and the first); nothing is written", async () => {
        const store = await open();
        const values = [physician("a"), physician("b"), physician("c"), physician("a")];
        const error = await rejection(importProfiles(store, records(values), { book: BOOK, now: NOW }));
        expect(error).toBeInstanceOf(PoolInputError);
        expect(error).toMatchObject({ line: 4, errors: [{ field: "id" }] });
        expect((error as Error).message).toContain("line 1");
        expect(await store.countProfiles()).toBe(0);
      });

      it("an id already stored is refused with its line, and the rest of the file is not written", async () => {
        const store = await open();
        await importProfiles(store, records([physician("a")]), { book: BOOK, now: NOW });
        const error = await rejection(
          importProfiles(store, records([physician("b"), physician("a"), physician("c")]), {
            book: BOOK,
            now: NOW,
          }),
        );
        expect(error).toBeInstanceOf(PoolInputError);
        expect(error).toMatchObject({ line: 2, errors: [{ field: "id" }] });
        expect((error as Error).message).toContain("already in the pool");
        expect(await store.countProfiles()).toBe(1);
        expect(await store.getProfile("b")).toBeUndefined();
      });
    });

    describe("update and withdraw", () => {
      it("update replaces the data but keeps submittedAt (the tie-break key), expiresAt and status", async () => {
        const store = await open();
        await importProfiles(store, records([physician("a"), physician("b")]), { book: BOOK, now: NOW });
        await runRound(store, physiciansRound(1, 1), { book: BOOK }); // invites one of them
        const before = await statuses(store);
        const invited = Object.keys(before).find((id) => before[id] === "invited") as string;
        const other = invited === "a" ? "b" : "a";
        const other0 = await store.getProfile(other);
        expect(other0?.evaluation).not.toBeNull(); // cached by the round

        const edited = [
          physician(invited, { dateOfBirth: "1995-01-01", submittedAt: "2026-02-28T00:00:00Z" }),
          physician(other, { dateOfBirth: "1995-01-01" }),
        ];
        delete edited[1]?.submittedAt;
        expect(await updateProfiles(store, records(edited), BOOK)).toEqual({ updated: 2 });

        for (const id of [invited, other]) {
          const p = await store.getProfile(id);
          expect(p?.submittedAt).toBe("2025-12-20T16:05:00Z");
          expect(p?.profile.submittedAt).toBe("2025-12-20T16:05:00Z");
          expect(p?.expiresAt).toBe("2026-12-20T16:05:00Z");
          expect(p?.profile.dateOfBirth).toBe("1995-01-01");
          // The cached evaluation is for the old data: dropped.
          expect(p?.evaluatedOn).toBeNull();
          expect(p?.evaluation).toBeNull();
        }
        expect(await statuses(store)).toEqual(before);
      });

      it("update refuses an id not in the pool (with its line) and writes nothing", async () => {
        const store = await open();
        await importProfiles(store, records([physician("a")]), { book: BOOK, now: NOW });
        const error = await rejection(
          updateProfiles(
            store,
            records([physician("a", { dateOfBirth: "1995-01-01" }), physician("ghost")]),
            BOOK,
          ),
        );
        expect(error).toBeInstanceOf(PoolInputError);
        expect(error).toMatchObject({ line: 2, errors: [{ field: "id" }] });
        expect((await store.getProfile("a"))?.profile.dateOfBirth).toBe(PHYSICIAN.dateOfBirth);
      });

      it("withdraw sets the status to withdrawn; an unknown id is not found", async () => {
        const store = await open();
        await importProfiles(store, records([physician("a"), physician("b")]), { book: BOOK, now: NOW });
        await withdrawProfile(store, "a");
        expect(await statuses(store)).toEqual({ a: "withdrawn", b: "in-pool" });
        expect(await rejection(withdrawProfile(store, "ghost"))).toBeInstanceOf(NotFoundError);
      });
    });

    describe("rounds", () => {
      /** Five physicians (two tied with a third at one score) and a higher-scoring engineer outside the category. */
      const POOL = [
        physician("p-young", { dateOfBirth: "1995-01-01", submittedAt: jan(3) }),
        physician("p-tie-mid", { dateOfBirth: "1989-01-01", submittedAt: jan(2) }),
        physician("p-tie-first", { dateOfBirth: "1989-01-01", submittedAt: jan(1) }),
        physician("p-tie-last", { dateOfBirth: "1989-01-01", submittedAt: jan(4) }),
        physician("p-older", { dateOfBirth: "1983-01-01", submittedAt: jan(1, "09:00:00") }),
        engineer("e-top", { dateOfBirth: "1999-01-01", submittedAt: jan(1, "08:00:00") }),
      ];

      async function pooled(): Promise<PoolStore> {
        const store = await open();
        await importProfiles(store, records(POOL), { book: BOOK, now: NOW });
        return store;
      }

      it("fixture sanity: scores order young > tied trio > older; the engineer scores highest", () => {
        const [young, mid, first, last, older, eng] = POOL.map((p) => crsOf(p));
        expect(mid).toBe(first);
        expect(last).toBe(first);
        expect(young).toBeGreaterThan(first as number);
        expect(older).toBeLessThan(first as number);
        expect(eng).toBeGreaterThan(young as number);
      });

      it("a physicians round invites the first N by CRS desc then submittedAt asc, and stores it atomically", async () => {
        const store = await pooled();
        const tieCrs = crsOf(POOL[1] as Json);
        const r = await runRound(store, physiciansRound(397, 3), { book: BOOK });
        expect(r).toMatchObject({
          number: 397,
          name: PHYSICIANS_ROUND,
          kind: "category",
          categoryVersion: "physicians-2026-v1",
          invitationsRequested: 3,
          invitations: 3,
          rankRequired: "3 or above",
          at: AT,
          asOfDate: "2026-03-05",
          cutoffCrs: tieCrs,
          // At the cut-off score only profiles submitted at or before the second tied one were invited.
          tieBreak: jan(2),
          eligible: 5, // the engineer is not in the category
          shortfall: 0,
          dryRun: false,
        });
        expect(r.invited.map((c) => [c.rank, c.id])).toEqual([
          [1, "p-young"],
          [2, "p-tie-first"],
          [3, "p-tie-mid"],
        ]);
        // The distribution is the whole eligible pool at the round (the engineer included).
        expect(r.distribution.bands.find((b) => b.label === "Total")?.count).toBe(6);

        expect(await statuses(store)).toEqual({
          "e-top": "in-pool",
          "p-older": "in-pool",
          "p-tie-first": "invited",
          "p-tie-last": "in-pool",
          "p-tie-mid": "invited",
          "p-young": "invited",
        });
        const stored = await store.getRound(397);
        expect(stored).toMatchObject({ invited: 3, eligible: 5, cutoffCrs: tieCrs, tieBreak: jan(2) });
        const invitations = await store.invitationsOfRound(397);
        expect(invitations.map((i) => [i.rank, i.profileId, i.status])).toEqual([
          [1, "p-young", "issued"],
          [2, "p-tie-first", "issued"],
          [3, "p-tie-mid", "issued"],
        ]);
        for (const i of invitations) {
          expect(i.issuedAt).toBe(AT);
          expect(i.expiresAt).toBe(ITA_DEADLINE);
          expect(i.respondedAt).toBeNull();
        }
        expect(invitations[0]?.crs).toBe(crsOf(POOL[0] as Json));
      });

      it("running the same round number again is a ConflictError and writes nothing new", async () => {
        const store = await pooled();
        await runRound(store, physiciansRound(1, 2), { book: BOOK });
        const before = await statuses(store);
        const roundBefore = await store.getRound(1);
        for (const size of [2, 4]) {
          const error = await rejection(runRound(store, physiciansRound(1, size), { book: BOOK }));
          expect(error).toBeInstanceOf(ConflictError);
        }
        expect(await statuses(store)).toEqual(before);
        expect(await store.getRound(1)).toEqual(roundBefore);
        expect(await rawCount("invitations")).toBe(2);
        expect(await rawCount("rounds")).toBe(1);
      });

      it("a dry run stores no round, invitation or status, and gives the same result twice", async () => {
        const store = await pooled();
        const first = await runRound(store, physiciansRound(7, 3), { book: BOOK, dryRun: true });
        const second = await runRound(store, physiciansRound(7, 3), { book: BOOK, dryRun: true });
        expect(first.dryRun).toBe(true);
        expect(first.invitations).toBe(3);
        expect(second).toEqual(first);
        expect(await store.listRounds()).toEqual([]);
        expect(await rawCount("invitations")).toBe(0);
        expect(Object.values(await statuses(store))).toEqual(Array(6).fill("in-pool"));
        // And the real round gives what the dry run announced.
        const real = await runRound(store, physiciansRound(7, 3), { book: BOOK });
        expect({ ...real, dryRun: true }).toEqual(first);
      });

      it("fewer eligible than N: everyone eligible is invited and the shortfall is reported", async () => {
        const store = await pooled();
        const r = await runRound(store, physiciansRound(2, 10), { book: BOOK });
        expect(r).toMatchObject({
          invitationsRequested: 10,
          invitations: 5,
          eligible: 5,
          shortfall: 5,
          rankRequired: "5 or above",
          cutoffCrs: crsOf(POOL[4] as Json),
          tieBreak: jan(1, "09:00:00"),
        });
        expect(await rawCount("invitations")).toBe(5);
      });

      it("a general round ranks the whole eligible pool (the engineer outside the category included)", async () => {
        const store = await pooled();
        const r = await runRound(
          store,
          { number: 9, name: "No Program Specified", kind: "general", invitations: 2, at: AT },
          { book: BOOK },
        );
        expect(r.invited.map((c) => c.id)).toEqual(["e-top", "p-young"]);
        expect(r).toMatchObject({ eligible: 6, categoryVersion: null, program: null });
      });

      it("a round with nobody eligible invites nobody (no cut-off, no tie-break)", async () => {
        const store = await open();
        await importProfiles(store, records([engineer("e")]), { book: BOOK, now: NOW });
        const r = await runRound(store, physiciansRound(3, 5), { book: BOOK });
        expect(r).toMatchObject({
          invitations: 0,
          eligible: 0,
          shortfall: 5,
          cutoffCrs: null,
          tieBreak: null,
        });
        expect(r.rankRequired).toBeNull();
        expect(await statusOf(store, "e")).toBe("in-pool");
      });

      it("is atomic: if insertInvitations fails mid-round there is no round row, no invitation, no status change", async () => {
        const real = await pooled();
        const failing = failingInsertInvitations(real);
        const error = await rejection(runRound(failing, physiciansRound(5, 3), { book: BOOK }));
        expect((error as Error).message).toContain("injected");
        expect(await real.getRound(5)).toBeUndefined();
        expect(await real.listRounds()).toEqual([]);
        expect(await real.invitationsOfRound(5)).toEqual([]);
        expect(await rawCount("rounds")).toBe(0);
        expect(await rawCount("invitations")).toBe(0);
        expect(Object.values(await statuses(real))).toEqual(Array(6).fill("in-pool"));
        // The number was not used up: the same round runs normally afterwards.
        expect((await runRound(real, physiciansRound(5, 3), { book: BOOK })).invitations).toBe(3);
      });

      it("only profiles submitted at or before the round instant are considered", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([
            physician("at-instant", { submittedAt: AT }),
            physician("one-second-late", { dateOfBirth: "1995-01-01", submittedAt: "2026-03-05T15:00:01Z" }),
          ]),
          { book: BOOK, now: NOW },
        );
        const r = await runRound(store, physiciansRound(1, 5), { book: BOOK });
        expect(r.invited.map((c) => c.id)).toEqual(["at-instant"]);
        expect(r.eligible).toBe(1);
        expect(await statusOf(store, "one-second-late")).toBe("in-pool");
      });

      it("expired profiles (expiresAt <= round instant) are not considered", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([
            physician("expires-at-round", { dateOfBirth: "1995-01-01", submittedAt: "2025-03-05T15:00:00Z" }),
            physician("expires-after", { submittedAt: "2025-03-05T15:00:01Z" }),
          ]),
          { book: BOOK, now: NOW },
        );
        expect((await store.getProfile("expires-at-round"))?.expiresAt).toBe(AT);
        const r = await runRound(store, physiciansRound(1, 5), { book: BOOK });
        expect(r.invited.map((c) => c.id)).toEqual(["expires-after"]);
        expect(await statusOf(store, "expires-at-round")).toBe("in-pool");
      });

      it("refuses an invalid round with RoundInputError naming the field, and stores nothing", async () => {
        const store = await pooled();
        const cases: [Json, string][] = [
          [{ ...physiciansRound(1, 3), invitations: undefined }, "invitations"],
          [{ ...physiciansRound(1, 3), name: "Astronauts, 2026-Version 1" }, "name"],
          [{ ...physiciansRound(1, 3), at: "2026-03-05 15:00" }, "at"],
          // The physicians category was not in force yet (announced 2025-12-08).
          [physiciansRound(1, 3, "2025-06-01T15:00:00Z"), "at"],
        ];
        for (const [input, field] of cases) {
          const error = await rejection(runRound(store, input, { book: BOOK }));
          expect(error, field).toBeInstanceOf(RoundInputError);
          expect((error as RoundInputError).errors.map((e) => e.field)).toContain(field);
        }
        expect(await rawCount("rounds")).toBe(0);
      });

      // Regression (was a bug): instants are compared as strings, and a fractional second sorts before a whole one
      // ("…10:00:00.5Z" < "…10:00:00Z" because "." < "Z"), so a profile submitted half a second LATER
      // wins the tie-break (§5.1: ties go to the earlier submission).
      it("tie-break compares instants, not strings: a fractional later submission ranks after", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([
            physician("later", { submittedAt: "2026-01-05T10:00:00.500Z" }),
            physician("earlier", { submittedAt: "2026-01-05T10:00:00Z" }),
          ]),
          { book: BOOK, now: NOW },
        );
        const r = await runRound(store, physiciansRound(1, 1), { book: BOOK });
        expect(r.invited.map((c) => c.id)).toEqual(["earlier"]);
        expect(r.tieBreak).toBe("2026-01-05T10:00:00Z");
      });

      // Regression (was a bug): the store ranks in SQL on the fixed-width column, but hands candidates out in display form
      // ("…10:00:00Z", "…10:00:00.5Z" kept as "…10:00:00.500Z") and rankRound re-sorts them with
      // compareRank's string comparison, where "…00.500Z" < "…00Z" ("." < "Z"). Within one second the
      // later (fractional) submission is ranked first and the published tie-break is the earlier one's
      // time, although a profile submitted after it was invited (§5.1: ties by submission time ascending).
      it("within one second at the cut-off score, ranks and tie-break follow submission time", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([
            physician("a-half-second-later", { submittedAt: "2026-01-05T10:00:00.500Z" }),
            physician("b-whole-second", { submittedAt: "2026-01-05T10:00:00Z" }),
            physician("c-one-second-later", { submittedAt: "2026-01-05T10:00:01Z" }),
          ]),
          { book: BOOK, now: NOW },
        );
        const r = await runRound(store, physiciansRound(1, 2), { book: BOOK });
        expect(r.invited.map((c) => [c.rank, c.id])).toEqual([
          [1, "b-whole-second"],
          [2, "a-half-second-later"],
        ]);
        expect(r.tieBreak).toBe("2026-01-05T10:00:00.500Z");
        expect((await store.getRound(1))?.tieBreak).toBe("2026-01-05T10:00:00.500Z");
      });

      // Regression (was a bug): same string comparison in inPoolAt: submittedAt "…15:00:00.25Z" <= at "…15:00:00Z" is true
      // as strings, so a profile submitted a quarter second after the round is ranked (and invited).
      it("a profile submitted a fraction of a second after the round instant is not considered", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([physician("after", { submittedAt: "2026-03-05T15:00:00.250Z" })]),
          {
            book: BOOK,
            now: NOW,
          },
        );
        const r = await runRound(store, physiciansRound(1, 5), { book: BOOK });
        expect(r.invited).toEqual([]);
        expect(await statusOf(store, "after")).toBe("in-pool");
      });
    });

    /**
     * A store whose transactions hand out a store that writes the first invitation and then fails, as a
     * disk error in the middle of a round would.
     */
    function failingInsertInvitations(real: PoolStore): PoolStore {
      const delegate = (target: PoolStore, prop: string | symbol): unknown => {
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      };
      const wrapTx = (tx: PoolStore): PoolStore =>
        new Proxy(tx, {
          get(target, prop) {
            if (prop === "insertInvitations")
              return async (rows: readonly Omit<StoredInvitation, "id">[]) => {
                await target.insertInvitations(rows.slice(0, 1));
                throw new Error("insertInvitations failed (injected)");
              };
            return delegate(target, prop);
          },
        });
      return new Proxy(real, {
        get(target, prop) {
          if (prop === "transaction")
            return <T>(work: (store: PoolStore) => Promise<T>) =>
              target.transaction((tx) => work(wrapTx(tx)));
          return delegate(target, prop);
        },
      });
    }

    describe("invitations", () => {
      /** Two physicians invited by round 1 at AT (deadline ITA_DEADLINE); a third stays in the pool. */
      async function invited(): Promise<{
        store: PoolStore;
        first: StoredInvitation;
        second: StoredInvitation;
      }> {
        const store = await open();
        await importProfiles(
          store,
          records([
            physician("a", { dateOfBirth: "1995-01-01" }),
            physician("b", { dateOfBirth: "1990-01-01" }),
            physician("c", { dateOfBirth: "1980-01-01" }),
          ]),
          { book: BOOK, now: NOW },
        );
        await runRound(store, physiciansRound(1, 2), { book: BOOK });
        const [first, second] = await store.invitationsOfRound(1);
        if (!first || !second) throw new Error("fixture: expected two invitations");
        expect([first.profileId, second.profileId]).toEqual(["a", "b"]);
        return { store, first, second };
      }

      it("accept: the invitation is accepted and the profile has applied", async () => {
        const { store, first } = await invited();
        const at = "2026-03-20T12:00:00Z";
        const r = await respond(store, first.id, "accept", at);
        expect(r.profileStatus).toBe("applied");
        expect(r.invitation).toMatchObject({ id: first.id, status: "accepted", respondedAt: at });
        expect(await store.getInvitation(first.id)).toMatchObject({ status: "accepted", respondedAt: at });
        expect(await statusOf(store, "a")).toBe("applied");
      });

      it("decline: the profile is back in the pool while it is still valid", async () => {
        const { store, second } = await invited();
        const r = await respond(store, second.id, "decline", "2026-03-20T12:00:00Z");
        expect(r.profileStatus).toBe("in-pool");
        expect(await store.getInvitation(second.id)).toMatchObject({ status: "declined" });
        expect(await statusOf(store, "b")).toBe("in-pool");
        // Back in the pool: the next round can invite it again.
        const next = await runRound(store, physiciansRound(2, 1, "2026-04-01T15:00:00Z"), { book: BOOK });
        expect(next.invited.map((c) => c.id)).toEqual(["b"]);
      });

      it("decline after the profile's 12 months: it does not return to the pool", async () => {
        const store = await open();
        // Submitted 2025-03-10 → the profile expires 2026-03-10, after the round but before the decline.
        await importProfiles(store, records([physician("old", { submittedAt: "2025-03-10T00:00:00Z" })]), {
          book: BOOK,
          now: NOW,
        });
        await runRound(store, physiciansRound(1, 1), { book: BOOK });
        const [inv] = await store.invitationsOfRound(1);
        const r = await respond(store, inv?.id as number, "decline", "2026-03-20T12:00:00Z");
        expect(r.profileStatus).not.toBe("in-pool");
        expect(await statusOf(store, "old")).not.toBe("in-pool");
      });

      it("answering twice is a ConflictError and changes nothing", async () => {
        const { store, first } = await invited();
        await respond(store, first.id, "accept", "2026-03-20T12:00:00Z");
        for (const answer of ["accept", "decline"] as const) {
          const error = await rejection(respond(store, first.id, answer, "2026-03-21T12:00:00Z"));
          expect(error).toBeInstanceOf(ConflictError);
        }
        expect(await store.getInvitation(first.id)).toMatchObject({
          status: "accepted",
          respondedAt: "2026-03-20T12:00:00Z",
        });
        expect(await statusOf(store, "a")).toBe("applied");
        expect(await rejection(respond(store, 999, "accept", "2026-03-20T12:00:00Z"))).toBeInstanceOf(
          NotFoundError,
        );
      });

      it("answering at or after the deadline (issued + 60 days) is a ConflictError; one second before is fine", async () => {
        const { store, first, second } = await invited();
        for (const at of [ITA_DEADLINE, "2026-06-01T00:00:00Z"]) {
          const error = await rejection(respond(store, first.id, "accept", at));
          expect(error, at).toBeInstanceOf(ConflictError);
        }
        expect(await store.getInvitation(first.id)).toMatchObject({ status: "issued", respondedAt: null });
        expect(await statusOf(store, "a")).toBe("invited");
        await respond(store, second.id, "accept", "2026-05-04T14:59:59Z");
        expect(await statusOf(store, "b")).toBe("applied");
      });

      // Regression (was a bug): respond compares `at >= inv.expiresAt` as strings; "…15:00:00.5Z" sorts before "…15:00:00Z",
      // so an answer half a second after the 60-day deadline is accepted (and `sweep` at that instant
      // does not lapse the invitation either: expires_at <= at is false in SQL for the same reason).
      it("answering a fraction of a second after the deadline is a ConflictError", async () => {
        const { store, first } = await invited();
        const error = await rejection(respond(store, first.id, "accept", "2026-05-04T15:00:00.5Z"));
        expect(error).toBeInstanceOf(ConflictError);
        expect(await statusOf(store, "a")).toBe("invited");
      });

      // Regression (was a bug): respond normalizes `at` to the fixed-width form ("2026-03-05T15:00:00.500Z") but compares it
      // with inv.issuedAt as the store hands it out ("2026-03-05T15:00:00Z"); "." < "Z", so an answer in
      // the same second as the round, after it, is refused as "issued … after …" (so is one at exactly
      // the issue instant, which `at < issuedAt` means to allow).
      it("an answer half a second after the round instant is accepted", async () => {
        const { store, first } = await invited();
        const r = await respond(store, first.id, "accept", "2026-03-05T15:00:00.5Z");
        expect(r.profileStatus).toBe("applied");
        expect(await statusOf(store, "a")).toBe("applied");
      });

      it("an answer before the invitation was issued is a ConflictError", async () => {
        const { store, first } = await invited();
        const error = await rejection(respond(store, first.id, "accept", "2026-03-05T14:59:59Z"));
        expect(error).toBeInstanceOf(ConflictError);
        expect(await statusOf(store, "a")).toBe("invited");
      });

      it("sweep at the deadline lapses unanswered invitations (invitation and profile expired), not answered ones", async () => {
        const { store, first, second } = await invited();
        await respond(store, first.id, "accept", "2026-03-20T12:00:00Z");

        const early = await sweep(store, "2026-05-04T14:59:59Z", BOOK);
        expect(early.invitationsExpired).toBe(0);
        expect(await statusOf(store, "b")).toBe("invited");

        const r = await sweep(store, ITA_DEADLINE, BOOK);
        expect(r).toMatchObject({ invitationsExpired: 1, profilesExpired: 0 });
        expect(await store.getInvitation(second.id)).toMatchObject({
          status: "expired",
          respondedAt: ITA_DEADLINE,
        });
        expect(await statuses(store)).toEqual({ a: "applied", b: "expired", c: "in-pool" });
        expect(await rejection(respond(store, second.id, "accept", "2026-05-01T00:00:00Z"))).toBeInstanceOf(
          ConflictError,
        );
        // A second sweep finds nothing more to lapse.
        expect((await sweep(store, "2026-05-05T00:00:00Z", BOOK)).invitationsExpired).toBe(0);
      });

      it("sweep expires in-pool profiles a year after submission, and leaves other statuses alone", async () => {
        const store = await open();
        await importProfiles(store, records([physician("a"), physician("b"), physician("w")]), {
          book: BOOK,
          now: NOW,
        });
        await withdrawProfile(store, "w");
        const before = await sweep(store, "2026-12-20T16:04:59Z", BOOK);
        expect(before).toMatchObject({ profilesExpired: 0, becameIneligible: 0 });
        const r = await sweep(store, "2026-12-20T16:05:00Z", BOOK);
        expect(r.profilesExpired).toBe(2);
        expect(await statuses(store)).toEqual({ a: "expired", b: "expired", w: "withdrawn" });
      });

      it("sweep marks a profile whose only language test expired as ineligible; pool stats exclude it; an update brings it back", async () => {
        const store = await open();
        const oldTest = physician("old-test", {
          submittedAt: jan(10),
          languageTests: [
            { test: "IELTS", date: "2024-08-01", speaking: 7.5, listening: 8.5, reading: 7.5, writing: 7 },
          ],
        });
        await importProfiles(store, records([physician("fresh"), oldTest]), { book: BOOK, now: NOW });

        // The IELTS result is valid two years: through 2026-07-31.
        const july = await poolStats(store, "2026-07-31T12:00:00Z", BOOK);
        expect(july).toMatchObject({ size: 2, notEligible: 0 });

        const at = "2026-08-02T12:00:00Z";
        const unswept = await poolStats(store, at, BOOK);
        expect(unswept).toMatchObject({ size: 1, notEligible: 1 });

        const r = await sweep(store, at, BOOK);
        expect(r).toMatchObject({ becameIneligible: 1, becameEligible: 0, profilesExpired: 0 });
        expect(await statuses(store)).toEqual({ fresh: "in-pool", "old-test": "ineligible" });

        const stats = await poolStats(store, at, BOOK);
        expect(stats).toMatchObject({ size: 1, notEligible: 0, byStatus: { "in-pool": 1, ineligible: 1 } });
        expect(stats.distribution.bands.find((b) => b.label === "Total")?.count).toBe(1);
        const round = await runRound(store, physiciansRound(1, 5, at), { book: BOOK });
        expect(round.invited.map((c) => c.id)).toEqual(["fresh"]);

        // A new test: the next sweep returns the profile to the pool.
        await updateProfiles(
          store,
          records([
            physician("old-test", {
              languageTests: [
                {
                  test: "IELTS",
                  date: "2026-08-05",
                  speaking: 7.5,
                  listening: 8.5,
                  reading: 7.5,
                  writing: 7,
                },
              ],
            }),
          ]),
          BOOK,
        );
        const back = await sweep(store, "2026-08-10T12:00:00Z", BOOK);
        expect(back).toMatchObject({ becameEligible: 1, becameIneligible: 0 });
        expect(await statusOf(store, "old-test")).toBe("in-pool");
        expect((await store.getProfile("old-test"))?.submittedAt).toBe(jan(10));
      });
    });

    describe("pool stats", () => {
      /** IRCC's published bands (§5.3), written out here independently of rules/ircc-pool-bands.json. */
      const PLAIN: [string, number, number][] = [
        ["601-1200", 601, 1200],
        ["501-600", 501, 600],
        ["491-500", 491, 500],
        ["481-490", 481, 490],
        ["471-480", 471, 480],
        ["461-470", 461, 470],
        ["451-460", 451, 460],
        ["441-450", 441, 450],
        ["431-440", 431, 440],
        ["421-430", 421, 430],
        ["411-420", 411, 420],
        ["401-410", 401, 410],
        ["351-400", 351, 400],
        ["301-350", 301, 350],
        ["0-300", 0, 300],
      ];
      const ROWS_451_500 = ["491-500", "481-490", "471-480", "461-470", "451-460"];
      const ROWS_401_450 = ["441-450", "431-440", "421-430", "411-420", "401-410"];
      const MAIN_ROWS = ["601-1200", "501-600", "451-500", "401-450", "351-400", "301-350", "0-300"];

      const lowLanguage = [
        { test: "IELTS", date: "2025-06-14", speaking: 6, listening: 6, reading: 6, writing: 6 },
      ];
      const SPREAD = [
        physician("pnp", { provincialNomination: true }),
        physician("d1997", { dateOfBirth: "1997-01-01" }),
        physician("d1995", { dateOfBirth: "1995-01-01" }),
        physician("d1993", { dateOfBirth: "1993-01-01" }),
        physician("d1991", { dateOfBirth: "1991-01-01" }),
        physician("d1992", { dateOfBirth: "1992-01-01" }),
        physician("d1989", { dateOfBirth: "1989-01-01" }),
        physician("d1987", { dateOfBirth: "1987-01-01" }),
        physician("d1986", { dateOfBirth: "1986-01-01" }),
        physician("d1984", { dateOfBirth: "1984-01-01" }),
        physician("d1983", { dateOfBirth: "1983-01-01" }),
        physician("d1982", { dateOfBirth: "1982-01-01" }),
        physician("d1970", { dateOfBirth: "1970-01-01" }),
        physician("low", { dateOfBirth: "1978-01-01", languageTests: lowLanguage }),
        physician("low2", {
          dateOfBirth: "1978-01-01",
          languageTests: lowLanguage,
          spouse: { ...(PHYSICIAN.spouse as Json), languageTests: [] },
        }),
      ];

      it("counts each eligible in-pool profile in its IRCC band, with 451-500, 401-450 and Total as subtotals", async () => {
        const store = await open();
        await importProfiles(
          store,
          records([
            ...SPREAD,
            physician("withdrawn"),
            physician("not-yet", { submittedAt: "2026-03-06T00:00:00Z" }),
            physician("expired", { submittedAt: "2025-01-01T00:00:00Z" }),
          ]),
          { book: BOOK, now: NOW },
        );
        await withdrawProfile(store, "withdrawn");

        const stats = await poolStats(store, AT, BOOK);
        expect(stats.at).toBe(AT);
        expect(stats.date).toBe("2026-03-05");
        expect(stats.size).toBe(SPREAD.length);
        expect(stats.notEligible).toBe(0);
        expect(stats.byStatus).toEqual({ "in-pool": SPREAD.length + 2, withdrawn: 1 });

        const scores = SPREAD.map((p) => crsOf(p));
        const expected = new Map(
          PLAIN.map(([label, from, to]) => [label, scores.filter((s) => s >= from && s <= to).length]),
        );
        const count = new Map(stats.distribution.bands.map((b) => [b.label, b.count]));
        const sum = (labels: string[]) => labels.reduce((acc, l) => acc + (count.get(l) ?? NaN), 0);

        for (const [label, n] of expected) expect(count.get(label), label).toBe(n);
        // The fixture really spreads over the bands (otherwise the test proves little).
        expect([...expected.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);

        expect(count.get("451-500")).toBe(sum(ROWS_451_500));
        expect(count.get("401-450")).toBe(sum(ROWS_401_450));
        expect(count.get("Total")).toBe(sum(MAIN_ROWS));
        expect(count.get("Total")).toBe(SPREAD.length);

        // IRCC's row order and the subtotal/level flags.
        expect(stats.distribution.bands.map((b) => b.label)).toEqual([
          "601-1200",
          "501-600",
          "451-500",
          ...ROWS_451_500,
          "401-450",
          ...ROWS_401_450,
          "351-400",
          "301-350",
          "0-300",
          "Total",
        ]);
        const flags = Object.fromEntries(
          stats.distribution.bands.map((b) => [b.label, [b.subtotal, b.level]]),
        );
        expect(flags["451-500"]).toEqual([true, 0]);
        expect(flags["471-480"]).toEqual([false, 1]);
        expect(flags["401-450"]).toEqual([true, 0]);
        expect(flags["351-400"]).toEqual([false, 0]);
        expect(flags.Total).toEqual([true, 0]);
      });

      it("an empty pool has every band at zero", async () => {
        const store = await open();
        const stats = await poolStats(store, AT, BOOK);
        expect(stats).toMatchObject({ size: 0, notEligible: 0, byStatus: {} });
        expect(stats.distribution.bands).toHaveLength(18);
        expect(stats.distribution.bands.every((b) => b.count === 0)).toBe(true);
      });
    });
  });
