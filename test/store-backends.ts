/**
 * The databases the store tests run on: SQLite files, and PostgreSQL when a server answers.
 *
 * PostgreSQL: EE_TEST_PG_URL names a database the tests may create schemas in (default
 * postgres://postgres@127.0.0.1:5432/test, the development and CI machines' local server). Each test
 * pool gets a schema of its own (its URL sets the search_path), dropped afterwards: a pool is a schema,
 * with its own writers' lock, and a schema is made and dropped in milliseconds where a database takes a
 * checkpoint. Without a server the PostgreSQL tests are skipped with a
 * message; with EE_REQUIRE_POSTGRES=1 (set by .ci/run) a missing server fails the run instead.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export const PG_ADMIN_URL = process.env.EE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const PG_REQUIRED = process.env.EE_REQUIRE_POSTGRES === "1";

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message || String((error as { code?: string }).code);
  } finally {
    await client.end().catch(() => {});
  }
}

const problem = await probe();
if (problem !== null) {
  if (PG_REQUIRED)
    throw new Error(
      `EE_REQUIRE_POSTGRES=1 but PostgreSQL at ${PG_ADMIN_URL} does not answer (${problem}); start it or set EE_TEST_PG_URL`,
    );
  console.warn(
    `PostgreSQL tests skipped: no server at ${PG_ADMIN_URL} (${problem}). Set EE_TEST_PG_URL, or EE_REQUIRE_POSTGRES=1 to make this a failure.`,
  );
}
export const PG_AVAILABLE = problem === null;

/** The URL of a pool in schema `schema` of the test database. */
export function pgUrl(schema: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

export function schemaOf(url: string): string {
  return /search_path=(\w+)/.exec(new URL(url).searchParams.get("options") ?? "")?.[1] ?? "public";
}

let serial = 0;

/** A new, empty schema on the test server; the URL of a pool in it. */
export async function freshPgDatabase(label = "t"): Promise<string> {
  const name = `ee_${label
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()
    .slice(0, 20)}_${process.pid}_${Date.now().toString(36)}_${serial++}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  return pgUrl(name);
}

export async function dropPgDatabase(url: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schemaOf(url)} CASCADE`);
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** One query on a database, on a connection of its own (nothing goes through the store). */
export async function pgQuery<R extends object>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A database the tests open by location (a file path or a URL), inspect and remove. */
export interface TestDatabase {
  location: string;
  /** Rows of a table, read over a connection of its own. */
  count(table: string): Promise<number>;
  /** Rows of a query, over a connection of its own (no parameters). */
  query<R extends object>(text: string): Promise<R[]>;
  /** The tables the schema has. */
  tables(): Promise<string[]>;
  /** Migrations recorded as applied. */
  migrations(): Promise<string[]>;
  remove(): Promise<void>;
}

export interface StoreBackend {
  name: "sqlite" | "postgres";
  available: boolean;
  create(label?: string): Promise<TestDatabase>;
}

export const SQLITE: StoreBackend = {
  name: "sqlite",
  available: true,
  async create(label = "pool") {
    const dir = mkdtempSync(join(tmpdir(), `ee-${label}-`));
    const location = join(dir, "pool.sqlite");
    const read = <T>(f: (db: Database.Database) => T): T => {
      const db = new Database(location, { readonly: true });
      try {
        return f(db);
      } finally {
        db.close();
      }
    };
    return {
      location,
      count: async (table) =>
        read((db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n),
      query: async <R extends object>(text: string) => read((db) => db.prepare(text).all() as R[]),
      tables: async () =>
        read((db) =>
          db
            .prepare("select name from sqlite_master where type = 'table' order by name")
            .all()
            .map((r) => (r as { name: string }).name),
        ),
      migrations: async () =>
        read((db) =>
          db
            .prepare("select name from kysely_migration order by name")
            .all()
            .map((r) => (r as { name: string }).name),
        ),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const POSTGRES: StoreBackend = {
  name: "postgres",
  available: PG_AVAILABLE,
  async create(label = "pool") {
    const location = await freshPgDatabase(label);
    return {
      location,
      count: async (table) =>
        Number((await pgQuery<{ n: string }>(location, `select count(*) as n from ${table}`))[0]?.n),
      query: <R extends object>(text: string) => pgQuery<R>(location, text),
      tables: async () =>
        (
          await pgQuery<{ name: string }>(
            location,
            "select tablename as name from pg_tables where schemaname = current_schema() order by tablename",
          )
        ).map((r) => r.name),
      migrations: async () =>
        (await pgQuery<{ name: string }>(location, "select name from kysely_migration order by name")).map(
          (r) => r.name,
        ),
      remove: () => dropPgDatabase(location),
    };
  },
};

export const BACKENDS: readonly StoreBackend[] = [SQLITE, POSTGRES];
