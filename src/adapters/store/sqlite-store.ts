/**
 * SQLite specialization of the Kysely store: the two bulk writes of a million-profile pool (import and
 * the evaluation refresh) go through one prepared better-sqlite3 statement each instead of building a
 * query per row. Same connection, so they join the surrounding transaction.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { Kysely, Transaction } from "kysely";
import type { EvaluationUpdate, NewProfileRow, PoolStore } from "../../app/ports.js";
import { normalizeInstant } from "../../calendar/instants.js";
import { groupsOf } from "../../domain/rounds/round.js";
import { KyselyPoolStore } from "./kysely-store.js";
import type { Database } from "./schema.js";

export class SqlitePoolStore extends KyselyPoolStore {
  private readonly insertProfile: BetterSqlite3.Statement;
  private readonly updateEvaluation: BetterSqlite3.Statement;
  private readonly profileExists: BetterSqlite3.Statement;

  constructor(
    db: Kysely<Database> | Transaction<Database>,
    private readonly sqlite: BetterSqlite3.Database,
    onClose?: () => Promise<void>,
  ) {
    super(db, onClose);
    this.insertProfile = sqlite.prepare(
      `INSERT INTO profiles (id, submitted_at, expires_at, status, data, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.profileExists = sqlite.prepare("SELECT 1 FROM profiles WHERE id = ?").pluck();
    this.updateEvaluation = sqlite.prepare(
      "UPDATE profiles SET evaluated_on = ?, crs = ?, in_pool = ?, groups = ? WHERE id = ?",
    );
  }

  protected override withTransaction(trx: Transaction<Database>): PoolStore {
    return new SqlitePoolStore(trx, this.sqlite);
  }

  override async insertProfiles(rows: readonly NewProfileRow[]): Promise<void> {
    const now = new Date().toISOString();
    for (const p of rows)
      this.insertProfile.run(
        p.id,
        normalizeInstant(p.submittedAt),
        normalizeInstant(p.expiresAt),
        p.status,
        p.data,
        now,
        now,
      );
  }

  override async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const id of ids) if (this.profileExists.get(id) !== undefined) found.add(id);
    return found;
  }

  override async saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<void> {
    for (const r of rows)
      this.updateEvaluation.run(
        r.evaluatedOn,
        r.evaluation.crs,
        Number(r.evaluation.inPool),
        groupsOf(r.evaluation),
        r.id,
      );
  }
}
