/** The embedded default store: one SQLite file through better-sqlite3, migrated on open. */
import { existsSync } from "node:fs";
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

/** The file at a database path cannot serve as the pool's database (not SQLite, unreadable, …). */
export class DatabaseFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** Why SQLite could not use the file, in words that point at the path rather than at SQLite. */
function fileProblem(path: string, error: unknown): unknown {
  if (error instanceof DatabaseFileError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB")
    return new DatabaseFileError(path, "is not a SQLite database (check --db or EE_DB)");
  if (code === "SQLITE_CANTOPEN")
    return new DatabaseFileError(path, "cannot be opened as a database (is it a directory, or unreadable?)");
  if (error instanceof TypeError && /directory does not exist/.test(error.message))
    return new DatabaseFileError(path, "its directory does not exist");
  return error;
}

const MEMORY = ":memory:";

/** What a command that only uses an existing pool says when there is none at the path. */
const IMPORT_FIRST = "import profiles first (ee pool import FILE), or check --db or EE_DB";

/**
 * Opens the SQLite database at `path` (":memory:" for a throwaway one) and migrates it. With
 * `create: false` the file must already hold a pool, so a mistyped path is an error instead of a new,
 * empty pool. A writer waits up to the busy timeout for another one (then StoreBusyError).
 */
export async function openSqliteStore(
  path: string,
  { create = true, busyTimeoutMs: waitMs }: { create?: boolean; busyTimeoutMs?: number } = {},
): Promise<PoolStore> {
  const timeout = waitMs ?? busyTimeoutMs();
  const mustExist = !create && path !== MEMORY;
  if (mustExist && !existsSync(path)) throw new DatabaseFileError(path, `no such database; ${IMPORT_FIRST}`);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { fileMustExist: mustExist, timeout });
    // The first read is where SQLite finds out that a file is not a database. An empty file, or another
    // program's database, would otherwise be migrated into a new pool; both are refused before any write.
    const holdsPool = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'profiles'").get();
    if (mustExist && !holdsPool) throw new DatabaseFileError(path, `holds no pool; ${IMPORT_FIRST}`);
    // WAL: readers do not block the writer; NORMAL sync is durable at transaction ends in WAL mode.
    sqlite.pragma("journal_mode = WAL");
  } catch (error) {
    sqlite?.close();
    throw fileProblem(path, error);
  }
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // A 256 MiB page cache keeps the indexes of a million-profile pool in memory during bulk writes.
  sqlite.pragma("cache_size = -262144");
  const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  const store = new SqlitePoolStore(db, sqlite, () => db.destroy(), timeout);
  await store.migrate();
  return store;
}
