/**
 * SQLite specialization of the Kysely store: the bulk writes of a million-profile pool (import, the
 * evaluation refresh with its ranking rows) go through prepared better-sqlite3 statements instead of
 * building a query per row. Same connection, so they join the surrounding transaction.
 */
import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Kysely,
  SqliteDialect,
  SqliteDriver,
  type Transaction,
} from "kysely";
import {
  type EvaluationInput,
  type EvaluationUpdate,
  type NewProfileRow,
  type PoolStore,
  type ProfileStatus,
  type StoredInvitation,
  StoreBusyError,
} from "../../app/ports.js";
import { displayInstant, normalizeInstant } from "../../calendar/instants.js";
import { groupsOf } from "../../domain/rounds/round.js";
import { KyselyPoolStore, migrateToLatest, rankingRowsOf } from "./kysely-store.js";
import type { Database } from "./schema.js";

/**
 * Transactions begin IMMEDIATE: the write lock is taken at the start, so a writer never reads a state
 * that another writer changes before it commits (a deferred transaction that reads, then writes, fails
 * with "database is locked" or works from a stale snapshot). A second writer waits (busy timeout).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/** SQLite's "busy" (another connection holds the write lock past the timeout) as the port's error. */
function busy(error: unknown, timeoutMs: number): unknown {
  const code = (error as { code?: string } | null)?.code ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return new StoreBusyError(
      `the database is busy: another command has been writing to it for more than ${timeoutMs / 1000} s; try again when it is done`,
    );
  return error;
}

type Statements = Record<
  | "insertProfile"
  | "insertState"
  | "profileExists"
  | "updateEvaluation"
  | "deleteRanking"
  | "insertRanking"
  | "staleInPool"
  | "staleIneligible"
  | "setStatus"
  | "setStatusInPool"
  | "insertInvitation"
  | "evaluationInputs",
  BetterSqlite3.Statement
>;

function staleIds(sqlite: BetterSqlite3.Database, status: "in-pool" | "ineligible"): BetterSqlite3.Statement {
  return sqlite
    .prepare(
      `SELECT id FROM profile_state WHERE status = '${status}' AND evaluated_on IS NULL
       UNION ALL SELECT id FROM profile_state WHERE status = '${status}' AND evaluated_on > ?
       UNION ALL SELECT id FROM profile_state WHERE status = '${status}' AND valid_until < ?`,
    )
    .pluck();
}

function prepare(sqlite: BetterSqlite3.Database): Statements {
  return {
    insertProfile: sqlite.prepare(
      "INSERT INTO profiles (id, data, created_at, updated_at) VALUES (?, ?, ?, ?)",
    ),
    insertState: sqlite.prepare(
      "INSERT INTO profile_state (id, submitted_at, expires_at, status) VALUES (?, ?, ?, ?)",
    ),
    profileExists: sqlite.prepare("SELECT 1 FROM profiles WHERE id = ?").pluck(),
    updateEvaluation: sqlite.prepare(
      `UPDATE profile_state SET evaluated_on = ?, valid_until = ?, crs = ?, in_pool = ?, groups = ?
       WHERE id = ? AND revision = ?`,
    ),
    deleteRanking: sqlite.prepare("DELETE FROM ranking WHERE profile_id = ?"),
    insertRanking: sqlite.prepare(
      "INSERT INTO ranking (group_key, crs, submitted_at, expires_at, profile_id) VALUES (?, ?, ?, ?, ?)",
    ),
    setStatus: sqlite.prepare("UPDATE profile_state SET status = ?, revision = revision + 1 WHERE id = ?"),
    setStatusInPool: sqlite.prepare(
      "UPDATE profile_state SET status = ?, revision = revision + 1, evaluated_on = NULL WHERE id = ?",
    ),
    insertInvitation: sqlite.prepare(
      `INSERT INTO invitations (round_number, profile_id, rank, crs, issued_at, expires_at, status, responded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The ids come as one JSON array parameter: one prepared statement for any page size.
    evaluationInputs: sqlite.prepare(
      `SELECT p.id, s.revision, s.status, s.submitted_at, s.expires_at, p.data
       FROM json_each(?) AS ids JOIN profile_state s ON s.id = ids.value JOIN profiles p ON p.id = ids.value`,
    ),
    // Statuses as literals: only then can SQLite use the partial indexes (status in-pool or ineligible).
    staleInPool: staleIds(sqlite, "in-pool"),
    staleIneligible: staleIds(sqlite, "ineligible"),
  };
}

export class SqlitePoolStore extends KyselyPoolStore {
  /** Prepared on first use (after the migrations have created the tables), shared by the transaction views. */
  private prepared: Statements | undefined;

  constructor(
    db: Kysely<Database> | Transaction<Database>,
    private readonly sqlite: BetterSqlite3.Database,
    onClose?: () => Promise<void>,
    private readonly busyTimeoutMs = 0,
    prepared?: Statements,
  ) {
    super(db, onClose);
    this.prepared = prepared;
  }

  private get st(): Statements {
    return (this.prepared ??= prepare(this.sqlite));
  }

  protected override withTransaction(trx: Transaction<Database>): PoolStore {
    return new SqlitePoolStore(trx, this.sqlite, undefined, this.busyTimeoutMs, this.st);
  }

  /** A writer that waited its busy timeout for another one is refused with a StoreBusyError. */
  override async transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T> {
    try {
      return await super.transaction(work);
    } catch (error) {
      throw busy(error, this.busyTimeoutMs);
    }
  }

  /**
   * Brings the schema to the latest migration, one process at a time. Kysely runs SQLite migrations
   * outside a transaction (SQLite's adapter claims no transactional DDL, and its migration lock does
   * nothing), so two processes opening a new file at once would both create the tables. One IMMEDIATE
   * transaction around the migrator makes the second wait for the first and find its work done.
   */
  async migrate(): Promise<void> {
    try {
      this.sqlite.exec("BEGIN IMMEDIATE");
      try {
        await migrateToLatest(this.kysely);
        this.sqlite.exec("COMMIT");
      } catch (error) {
        if (this.sqlite.inTransaction) this.sqlite.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      throw busy(error, this.busyTimeoutMs);
    }
  }

  override async insertProfiles(rows: readonly NewProfileRow[]): Promise<void> {
    const now = new Date().toISOString();
    const { insertProfile, insertState } = this.st;
    for (const p of rows) {
      insertProfile.run(p.id, p.data, now, now);
      insertState.run(p.id, normalizeInstant(p.submittedAt), normalizeInstant(p.expiresAt), p.status);
    }
  }

  override async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of ids) if (this.st.profileExists.get(id) !== undefined) found.add(id);
    return found;
  }

  override async evaluationInputs(ids: readonly string[]): Promise<EvaluationInput[]> {
    const rows = this.st.evaluationInputs.all(JSON.stringify(ids)) as {
      id: string;
      revision: number;
      status: string;
      submitted_at: string;
      expires_at: string;
      data: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      revision: r.revision,
      status: r.status as ProfileStatus,
      submittedAt: displayInstant(r.submitted_at),
      expiresAt: displayInstant(r.expires_at),
      data: r.data,
    }));
  }

  override async staleProfileIds(date: string, statuses: readonly ProfileStatus[]): Promise<string[]> {
    const out = new Set<string>();
    for (const status of statuses) {
      if (status !== "in-pool" && status !== "ineligible") {
        for (const id of await super.staleProfileIds(date, [status])) out.add(id);
        continue;
      }
      const statement = status === "in-pool" ? this.st.staleInPool : this.st.staleIneligible;
      for (const id of statement.all(date, date) as string[]) out.add(id);
    }
    // In key order, so the pages that follow read the tables front to back.
    return [...out].sort();
  }

  override async setStatus(ids: readonly string[], status: ProfileStatus): Promise<void> {
    // Back in the pool: evaluated anew, which also writes its ranking rows.
    const update = status === "in-pool" ? this.st.setStatusInPool : this.st.setStatus;
    const { deleteRanking } = this.st;
    for (const id of ids) {
      update.run(status, id);
      deleteRanking.run(id);
    }
  }

  override async insertInvitations(rows: readonly Omit<StoredInvitation, "id">[]): Promise<void> {
    const insert = this.st.insertInvitation;
    for (const i of rows)
      insert.run(
        i.roundNumber,
        i.profileId,
        i.rank,
        i.crs,
        normalizeInstant(i.issuedAt),
        normalizeInstant(i.expiresAt),
        i.status,
        i.respondedAt === null ? null : normalizeInstant(i.respondedAt),
      );
  }

  override async saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<number> {
    let saved = 0;
    for (const r of rows) {
      const e = r.evaluation;
      const result = this.st.updateEvaluation.run(
        r.evaluatedOn,
        e.validUntil,
        e.crs,
        Number(e.inPool),
        groupsOf(e),
        r.id,
        r.revision,
      );
      if (result.changes !== 1) continue;
      saved++;
      // Always: another writer may have saved this revision's ranking rows since it was read.
      this.st.deleteRanking.run(r.id);
      for (const k of rankingRowsOf(r))
        this.st.insertRanking.run(k.group_key, k.crs, k.submitted_at, k.expires_at, k.profile_id);
    }
    return saved;
  }
}
