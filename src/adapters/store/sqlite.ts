/** The embedded default store: one SQLite file through better-sqlite3, migrated on open. */
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { PoolStore } from "../../app/ports.js";
import { migrateToLatest } from "./kysely-store.js";
import { SqlitePoolStore } from "./sqlite-store.js";
import type { Database as Tables } from "./schema.js";

export const DEFAULT_DB_PATH = "ee.sqlite";

/** Opens (creating if needed) the SQLite database at `path` (":memory:" for a throwaway one). */
export async function openSqliteStore(path: string): Promise<PoolStore> {
  const sqlite = new Database(path);
  // WAL: readers do not block the writer; NORMAL sync is durable at transaction ends in WAL mode.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // A 256 MiB page cache keeps the indexes of a million-profile pool in memory during bulk writes.
  sqlite.pragma("cache_size = -262144");
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
  return new SqlitePoolStore(db, sqlite, () => db.destroy());
}
