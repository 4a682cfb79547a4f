/**
 * The one place a database location becomes a store: a `postgres://` (or `postgresql://`) URL opens
 * PostgreSQL, anything else is a SQLite file path. Each adapter is loaded only when it is used.
 */
import type { PoolStore } from "../../app/ports.js";

export { DEFAULT_DB_PATH, DatabaseFileError } from "./sqlite.js";

/** Whether a --db / EE_DB value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A location as messages and logs show it: a URL without its password. */
export function displayLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    u.password = "";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

export interface OpenOptions {
  /** Whether a location with no pool gets a new one (an import); otherwise it is refused. */
  create?: boolean;
  busyTimeoutMs?: number;
  /** PostgreSQL: connections this process keeps at most. */
  maxConnections?: number;
}

export async function openStore(location: string, options: OpenOptions = {}): Promise<PoolStore> {
  const { busyTimeoutMs } = await import("./sqlite.js");
  const timeout = options.busyTimeoutMs ?? busyTimeoutMs();
  if (isPostgresUrl(location)) {
    const { openPostgresStore } = await import("./postgres-store.js");
    return openPostgresStore(location, {
      busyTimeoutMs: timeout,
      create: options.create ?? true,
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    });
  }
  const { openSqliteStore } = await import("./sqlite.js");
  return openSqliteStore(location, { create: options.create ?? true, busyTimeoutMs: timeout });
}
