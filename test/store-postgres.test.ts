/**
 * What only PostgreSQL has: pools in separate schemas of one database (migrated each on its own, and
 * not waiting for each other's writers), the URL's password kept out of messages, and a wrong location
 * refused with a message that names it. The behaviour both databases share is in store.test.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { importProfiles } from "../src/app/pool-service.js";
import { type PoolStore, StoreBusyError, StoreUnavailableError } from "../src/app/ports.js";
import { DatabaseFileError, displayLocation, isPostgresUrl, openStore } from "../src/adapters/store/open.js";
import { defaultRuleBook } from "../src/rules/index.js";
import { dropPgDatabase, PG_ADMIN_URL, pgUrl, POSTGRES, type TestDatabase } from "./store-backends.js";

const BOOK = defaultRuleBook();
const databases: TestDatabase[] = [];
const stores: PoolStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await Promise.all(databases.map((d) => d.remove()));
}, 60_000);

async function pool(label: string): Promise<{ database: TestDatabase; store: PoolStore }> {
  const database = await POSTGRES.create(label);
  databases.push(database);
  const store = await openStore(database.location, { busyTimeoutMs: 500 });
  stores.push(store);
  return { database, store };
}

const profile = (id: string) => ({
  line: 1,
  value: {
    id,
    submittedAt: "2026-01-05T10:00:00Z",
    dateOfBirth: "1990-01-01",
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [
      { test: "CELPIP", date: "2025-10-01", speaking: 9, listening: 9, reading: 9, writing: 9 },
    ],
    workHistory: [{ noc: "21231", country: "CA", start: "2023-01-01", end: null, hoursPerWeek: 40 }],
  },
});

describe("locations", () => {
  it("a postgres:// or postgresql:// URL is PostgreSQL; anything else a SQLite path; passwords never shown", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("POSTGRESQL://u@h/db")).toBe(true);
    expect(isPostgresUrl("./postgres.sqlite")).toBe(false);
    expect(displayLocation("postgres://ee:s3cret@db:5432/pool")).toBe("postgres://ee@db:5432/pool");
    expect(displayLocation("pool.sqlite")).toBe("pool.sqlite");
  });
});

describe.skipIf(!POSTGRES.available)("PostgreSQL pools", () => {
  it("two schemas of one database are two pools, each migrated on its own, one of them new", async () => {
    const a = await pool("schemaa");
    await importProfiles(a.store, [profile("only-in-a")], { book: BOOK, now: "2026-01-10T00:00:00Z" });
    // A schema that does not exist yet: the migration creates it (Kysely, told the pool's schema,
    // does not take schema a's tables for its own).
    const fresh = `ee_new_${process.pid}_${Date.now().toString(36)}`;
    const url = pgUrl(fresh);
    databases.push({ location: url, remove: () => dropPgDatabase(url) } as TestDatabase);
    const b = await openStore(url);
    stores.push(b);
    expect(await b.countProfiles()).toBe(0);
    await importProfiles(b, [profile("only-in-b")], { book: BOOK, now: "2026-01-10T00:00:00Z" });
    expect((await a.store.getProfile("only-in-b")) ?? null).toBeNull();
    expect((await b.getProfile("only-in-b"))?.id).toBe("only-in-b");
    expect(await a.database.migrations()).toHaveLength(4);
  });

  it("writers wait for the writers of their own pool only", async () => {
    const a = await pool("locka");
    const b = await pool("lockb");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding = a.store.transaction(async (tx) => {
      await tx.countProfiles();
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The other pool's writer does not wait …
    const started = Date.now();
    await importProfiles(b.store, [profile("b-1")], { book: BOOK, now: "2026-01-10T00:00:00Z" });
    expect(Date.now() - started).toBeLessThan(400);
    // … this pool's does, and gives up after its busy timeout (500 ms) with nothing written.
    const refused = await importProfiles(a.store, [profile("a-1")], {
      book: BOOK,
      now: "2026-01-10T00:00:00Z",
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreBusyError);
    release();
    await holding;
    expect(await a.store.countProfiles()).toBe(0);
    await importProfiles(a.store, [profile("a-1")], { book: BOOK, now: "2026-01-10T00:00:00Z" });
    expect(await a.store.countProfiles()).toBe(1);
  });

  it("refuses a database that does not exist, a pool that is not there, and an unreachable server", async () => {
    const missing = new URL(PG_ADMIN_URL);
    missing.pathname = "/ee_no_such_database";
    missing.password = "hidden-pw";
    const noDb = await openStore(missing.toString()).catch((error: unknown) => error);
    expect(noDb).toBeInstanceOf(DatabaseFileError);
    expect((noDb as Error).message).toMatch(/no such database/);
    expect((noDb as Error).message).not.toMatch(/hidden-pw/);

    const empty = pgUrl(`ee_absent_${process.pid}`);
    const noPool = await openStore(empty, { create: false }).catch((error: unknown) => error);
    expect(noPool).toBeInstanceOf(DatabaseFileError);
    expect((noPool as Error).message).toMatch(/holds no pool/);

    const closed = await openStore("postgres://postgres@127.0.0.1:1/test").catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(StoreUnavailableError);
    expect((closed as Error).message).toMatch(/unreachable/);
  });
});
