/**
 * The pool on PostgreSQL: the Kysely store's queries through `pg`, with PostgreSQL's own ways for the
 * bulk paths (COPY for imports, array parameters and unnest for a page of evaluations, invitations or
 * status changes: one statement instead of one per row).
 *
 * Writers: every transaction first takes one advisory lock for the pool (this database), so writes run
 * one after the other across processes and servers, as on SQLite, and a round ranks exactly what it
 * writes against. A writer that waits longer than the busy timeout is refused (StoreBusyError). The
 * database's constraints stay the last guard (one open invitation per profile, one invitation per round
 * and profile, round numbers unique).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  type EvaluationInput,
  type EvaluationUpdate,
  type NewProfileRow,
  type PoolStore,
  type ProfileStatus,
  type StoredInvitation,
  StoreBusyError,
  StoreUnavailableError,
} from "../../app/ports.js";
import { displayInstant, normalizeInstant } from "../../calendar/instants.js";
import { groupsOf } from "../../domain/rounds/round.js";
import { KyselyPoolStore, migrateToLatest, rankingRowsOf } from "./kysely-store.js";
import type { Database } from "./schema.js";
import { displayLocation as displayUrl } from "./open.js";
import { DatabaseFileError } from "./sqlite.js";

/**
 * The advisory lock every writer of a pool takes: this class ("EEPP" in ASCII) and the pool's schema
 * (the first of the connection's search_path; "public" by default), so pools in separate schemas of
 * one database do not wait for each other.
 */
export const POOL_LOCK_CLASS = 0x45455050;

/** PostgreSQL error codes that mean the server or the connection went away. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "57P01", // admin shutdown
  "57P02", // crash shutdown
  "57P03", // cannot connect now (starting up)
  "53300", // too many connections
]);

/** pg's errors as the port's: a writer that waited too long is busy, a lost server is unavailable. */
export function storeErrorOf(error: unknown, timeoutMs: number, url: string): unknown {
  if (error instanceof StoreBusyError || error instanceof StoreUnavailableError) return error;
  const e = error as { code?: string; message?: string } | null;
  const code = e?.code ?? "";
  if (code === "55P03" || code === "40P01")
    return new StoreBusyError(
      `the database is busy: another command has been writing to it for more than ${timeoutMs / 1000} s; try again when it is done`,
    );
  const message = e?.message ?? "";
  if (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith("08") ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      message,
    )
  )
    return new StoreUnavailableError(
      `the database at ${displayUrl(url)} is unreachable (${code || message}); nothing was written. Check --db or EE_DB, or try again when it is up`,
    );
  return error;
}

interface Settings {
  pool: pg.Pool;
  url: string;
  busyTimeoutMs: number;
}

/** A client as Kysely's dialect sees it: every query's error mapped to the port's errors. */
function mappedClient(
  client: pg.PoolClient,
  settings: Settings,
  release: (failed?: boolean | Error) => void,
) {
  return {
    query: ((...args: Parameters<pg.PoolClient["query"]>) =>
      (client.query(...args) as unknown as Promise<unknown>).catch((error: unknown) => {
        throw storeErrorOf(error, settings.busyTimeoutMs, settings.url);
      })) as pg.PoolClient["query"],
    release,
  };
}

/**
 * Kysely's view of one client that is already in a transaction (ours): it runs every query on that
 * client and never releases it, so Kysely's queries and COPY share the transaction.
 */
function oneClientDialect(client: pg.PoolClient, settings: Settings): PostgresDialect {
  return new PostgresDialect({
    pool: { connect: async () => mappedClient(client, settings, () => {}), end: async () => {} },
  });
}

/** Kysely over the whole pool of connections (reads outside a transaction), with errors mapped. */
function poolDialect(settings: Settings): PostgresDialect {
  return new PostgresDialect({
    pool: {
      connect: async () => {
        const client = await settings.pool.connect().catch((error: unknown) => {
          throw storeErrorOf(error, settings.busyTimeoutMs, settings.url);
        });
        return mappedClient(client, settings, (failed) => client.release(failed));
      },
      end: () => settings.pool.end(),
    },
  });
}

/** COPY's text format: backslash, tab and line breaks escaped; null as \N. */
function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      )
    : value;
}

function copyRows(rows: Iterable<readonly (string | null)[]>): Readable {
  return Readable.from(
    (function* () {
      let buffer = "";
      for (const row of rows) {
        buffer += `${row.map(copyField).join("\t")}\n`;
        if (buffer.length > 1 << 20) {
          yield buffer;
          buffer = "";
        }
      }
      if (buffer) yield buffer;
    })(),
  );
}

/** Bulk writes this large leave the planner's statistics stale: tables are analyzed after the commit. */
const ANALYZE_AFTER_ROWS = 50_000;

export class PostgresPoolStore extends KyselyPoolStore {
  /** Rows written in this transaction by the bulk paths, per table (to analyze after the commit). */
  private readonly written: Map<string, number>;

  constructor(
    db: Kysely<Database>,
    private readonly settings: Settings,
    /** The client of the transaction this store is bound to; none for the root store. */
    private readonly client?: pg.PoolClient,
    written?: Map<string, number>,
  ) {
    super(db, client ? undefined : () => db.destroy());
    this.written = written ?? new Map();
  }

  private note(table: string, rows: number): void {
    this.written.set(table, (this.written.get(table) ?? 0) + rows);
  }

  private error(error: unknown): unknown {
    return storeErrorOf(error, this.settings.busyTimeoutMs, this.settings.url);
  }

  /**
   * The pool's schema: the first of the search_path (which need not exist yet; the migration creates
   * it). Kysely looks for its migration tables in every schema unless it is told which, so a second
   * pool in the same database would find the first one's and never be migrated.
   */
  private async poolSchema(): Promise<string> {
    const { rows } = await sql<{ path: string }>`SELECT current_setting('search_path') AS path`.execute(
      this.db,
    );
    const first = (rows[0]?.path ?? "")
      .split(",")
      .map((p) => p.trim().replace(/^"(.*)"$/, "$1"))
      .find((p) => p !== "" && p !== "$user");
    return first ?? "public";
  }

  async migrate(): Promise<void> {
    // Kysely migrates PostgreSQL in a transaction under its own advisory lock: two processes opening a
    // new database at once run the migrations once.
    try {
      await migrateToLatest(this.kysely, await this.poolSchema());
    } catch (error) {
      throw this.error(error);
    }
  }

  /**
   * One write transaction on one connection, after the pool's advisory lock: everything `work` wrote
   * is committed, or nothing if it throws (or if the process dies: the server rolls back a transaction
   * whose connection is gone, and the lock goes with it).
   */
  override async transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T> {
    if (this.client) return work(this);
    const { pool, busyTimeoutMs } = this.settings;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw this.error(error);
    }
    let broken: Error | undefined;
    const written = new Map<string, number>();
    try {
      await client.query("BEGIN");
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(busyTimeoutMs))}`);
      await client.query(`SELECT pg_advisory_xact_lock(${POOL_LOCK_CLASS}, hashtext(current_schema()))`);
      await client.query("SET LOCAL lock_timeout = 0");
      const tx = new PostgresPoolStore(
        new Kysely<Database>({ dialect: oneClientDialect(client, this.settings) }),
        this.settings,
        client,
        written,
      );
      const result = await work(tx);
      await client.query("COMMIT");
      await this.analyzeAfter(client, written);
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollback) {
        broken = rollback as Error;
      }
      throw this.error(error);
    } finally {
      client.release(broken);
    }
  }

  private async analyzeAfter(client: pg.PoolClient, written: Map<string, number>): Promise<void> {
    const tables = [...written].filter(([, rows]) => rows >= ANALYZE_AFTER_ROWS).map(([t]) => t);
    if (tables.length > 0) await client.query(`ANALYZE ${tables.join(", ")}`).catch(() => {});
  }

  /** Inside a transaction, profiles arrive by COPY (two streams: the profiles and their states). */
  override async insertProfiles(rows: readonly NewProfileRow[]): Promise<void> {
    if (!this.client || rows.length === 0) return super.insertProfiles(rows);
    const now = new Date().toISOString();
    try {
      await pipeline(
        copyRows(rows.map((p) => [p.id, p.data, now, now])),
        this.client.query(copyFrom("COPY profiles (id, data, created_at, updated_at) FROM STDIN")),
      );
      await pipeline(
        copyRows(
          rows.map((p) => [p.id, normalizeInstant(p.submittedAt), normalizeInstant(p.expiresAt), p.status]),
        ),
        this.client.query(copyFrom("COPY profile_state (id, submitted_at, expires_at, status) FROM STDIN")),
      );
    } catch (error) {
      throw this.error(error);
    }
    this.note("profiles", rows.length);
    this.note("profile_state", rows.length);
  }

  override async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await sql<{ id: string }>`
      SELECT id FROM profiles WHERE id = ANY(${[...ids]}::text[])`.execute(this.db);
    return new Set(rows.map((r) => r.id));
  }

  override async evaluationInputs(ids: readonly string[]): Promise<EvaluationInput[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<{
      id: string;
      revision: number;
      status: string;
      submitted_at: string;
      expires_at: string;
      data: string;
    }>`SELECT p.id, s.revision, s.status, s.submitted_at, s.expires_at, p.data
       FROM profile_state s JOIN profiles p ON p.id = s.id
       WHERE s.id = ANY(${[...ids]}::text[])`.execute(this.db);
    return rows.map((r) => ({
      id: r.id,
      revision: r.revision,
      status: r.status as ProfileStatus,
      submittedAt: displayInstant(r.submitted_at),
      expiresAt: displayInstant(r.expires_at),
      data: r.data,
    }));
  }

  override async setStatus(ids: readonly string[], status: ProfileStatus): Promise<void> {
    if (ids.length === 0) return;
    const list = [...ids];
    // Back in the pool: evaluated anew, which also writes its ranking rows.
    await sql`UPDATE profile_state SET status = ${status}, revision = revision + 1
              ${status === "in-pool" ? sql`, evaluated_on = NULL` : sql``}
              WHERE id = ANY(${list}::text[])`.execute(this.db);
    await sql`DELETE FROM ranking WHERE profile_id = ANY(${list}::text[])`.execute(this.db);
    this.note("profile_state", list.length);
  }

  override async insertInvitations(rows: readonly Omit<StoredInvitation, "id">[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <T>(f: (i: Omit<StoredInvitation, "id">) => T) => rows.map(f);
    await sql`INSERT INTO invitations
                (round_number, profile_id, rank, crs, issued_at, expires_at, status, responded_at)
              SELECT * FROM unnest(
                ${column((i) => i.roundNumber)}::int[], ${column((i) => i.profileId)}::text[],
                ${column((i) => i.rank)}::int[], ${column((i) => i.crs)}::int[],
                ${column((i) => normalizeInstant(i.issuedAt))}::text[],
                ${column((i) => normalizeInstant(i.expiresAt))}::text[],
                ${column((i) => i.status)}::text[],
                ${column((i) => (i.respondedAt === null ? null : normalizeInstant(i.respondedAt)))}::text[])`.execute(
      this.db,
    );
  }

  /** A page of evaluations in three statements: update where the revision still matches, then ranking rows. */
  override async saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<number> {
    if (rows.length === 0) return 0;
    const { rows: saved } = await sql<{ id: string }>`
      UPDATE profile_state s SET evaluated_on = u.evaluated_on, valid_until = u.valid_until, crs = u.crs,
             in_pool = u.in_pool, groups = u.groups
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.revision)}::int[],
                  ${rows.map((r) => r.evaluatedOn)}::text[], ${rows.map((r) => r.evaluation.validUntil)}::text[],
                  ${rows.map((r) => r.evaluation.crs)}::int[], ${rows.map((r) => Number(r.evaluation.inPool))}::int[],
                  ${rows.map((r) => groupsOf(r.evaluation))}::text[])
           AS u(id, revision, evaluated_on, valid_until, crs, in_pool, groups)
      WHERE s.id = ANY(${rows.map((r) => r.id)}::text[]) AND s.id = u.id AND s.revision = u.revision
      RETURNING s.id`.execute(this.db);
    if (saved.length === 0) return 0;
    const kept = new Set(saved.map((r) => r.id));
    // Always: another writer may have saved this revision's ranking rows since it was read.
    await sql`DELETE FROM ranking WHERE profile_id = ANY(${[...kept]}::text[])`.execute(this.db);
    const ranking = rows.filter((r) => kept.has(r.id)).flatMap(rankingRowsOf);
    if (ranking.length > 0)
      await sql`INSERT INTO ranking (group_key, crs, submitted_at, expires_at, profile_id)
                SELECT * FROM unnest(${ranking.map((k) => k.group_key)}::text[], ${ranking.map((k) => k.crs)}::int[],
                  ${ranking.map((k) => k.submitted_at)}::text[], ${ranking.map((k) => k.expires_at)}::text[],
                  ${ranking.map((k) => k.profile_id)}::text[])`.execute(this.db);
    this.note("profile_state", kept.size);
    this.note("ranking", ranking.length);
    return kept.size;
  }
}

export interface PostgresOptions {
  busyTimeoutMs: number;
  /** Whether a database without a pool gets one (an import); otherwise it is refused. */
  create?: boolean;
  /** Connections this process keeps at most (a server's readers share them). */
  maxConnections?: number;
}

export async function openPostgresStore(url: string, options: PostgresOptions): Promise<PostgresPoolStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: "express-entry-engine",
  });
  // A connection the server drops (restart, network) is reported as an 'error' event, on the pool when
  // it is idle and on the client when it is checked out: the query in flight fails on its own, and the
  // next one opens a new connection. Without listeners the process would die on the event.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const settings: Settings = { pool, url, busyTimeoutMs: options.busyTimeoutMs };
  const store = new PostgresPoolStore(new Kysely<Database>({ dialect: poolDialect(settings) }), settings);
  try {
    // The first query finds out whether the server answers, the database exists and holds a pool.
    const { rows } = await pool
      .query<{ pool: string | null }>("SELECT to_regclass('profiles')::text AS pool")
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === "3D000")
          throw new DatabaseFileError(
            displayUrl(url),
            "no such database (create it, or check --db or EE_DB)",
          );
        if ((error as { code?: string }).code === "28P01" || (error as { code?: string }).code === "28000")
          throw new DatabaseFileError(displayUrl(url), "the server refused these credentials");
        throw storeErrorOf(error, options.busyTimeoutMs, url);
      });
    if (!options.create && rows[0]?.pool == null)
      throw new DatabaseFileError(
        displayUrl(url),
        "holds no pool; import profiles first (ee pool import FILE), or check --db or EE_DB",
      );
    await store.migrate();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  return store;
}
