/** The embedded default store: one SQLite file through better-sqlite3, migrated on open. */
import Database from "better-sqlite3";
import { Kysely } from "kysely";
import type { PoolStore } from "../../app/ports.js";
import { ImmediateSqliteDialect, SqlitePoolStore } from "./sqlite-store.js";
import type { Database as Tables } from "./schema.js";

export const DEFAULT_DB_PATH = "ee.sqlite";

/** How long a writer waits for another to finish before giving up (EE_BUSY_TIMEOUT_MS overrides). */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

export function busyTimeoutMs(): number {
  const value = Number(process.env.EE_BUSY_TIMEOUT_MS);
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_BUSY_TIMEOUT_MS;
}

/** Opens (creating if needed) the SQLite database at `path` (":memory:" for a throwaway one). */
export async function openSqliteStore(
  path: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<PoolStore> {
  const timeout = options.busyTimeoutMs ?? busyTimeoutMs();
  const sqlite = new Database(path, { timeout });
  // WAL: readers do not block the writer; NORMAL sync is durable at transaction ends in WAL mode.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // A 256 MiB page cache keeps the indexes of a million-profile pool in memory during bulk writes.
  sqlite.pragma("cache_size = -262144");
  const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  const store = new SqlitePoolStore(db, sqlite, () => db.destroy(), timeout);
  await store.migrate();
  return store;
}
