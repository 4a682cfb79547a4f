/**
 * PoolStore over Kysely. Written against the query builder only, so SQLite (now) and PostgreSQL
 * (later) share it; dialect-specific setup lives in sqlite.ts.
 */
import { type Kysely, Migrator, type Selectable, sql, type Transaction } from "kysely";
import { displayInstant as shown, normalizeInstant as sortable } from "../../calendar/instants.js";
import { ALL_GROUP, groupKeysOf, groupsOf, type RankedCandidate } from "../../domain/rounds/round.js";
import type {
  EvaluationInput,
  EvaluationUpdate,
  InvitationStatus,
  NewProfileRow,
  PoolMoment,
  PoolStore,
  ProfileStatus,
  StoredInvitation,
  StoredProfile,
  StoredRound,
  StoredHistory,
} from "../../app/ports.js";
import type { HistoryAnomaly, HistoryRound } from "../../domain/history/round-record.js";
import type { Profile } from "../../domain/profile/profile.js";
import { migrationProvider } from "./migrations.js";
import type {
  Database,
  InvitationsTable,
  ProfileStateTable,
  ProfilesTable,
  RankingTable,
  RoundsTable,
} from "./schema.js";

// Instants are stored in one fixed-width form (milliseconds) so SQL compares them as strings, and
// handed out as IRCC writes them (whole seconds when there is no fraction).

/** SQLite allows 32,766 bound parameters per statement; rows are written in chunks well under it. */
const CHUNK = 500;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const nowIso = () => new Date().toISOString();

/** A profile row joined with its state row. */
type ProfileRow = Pick<Selectable<ProfilesTable>, "id" | "data"> & Omit<Selectable<ProfileStateTable>, "id">;

function toProfile(row: ProfileRow): StoredProfile {
  const groups = (row.groups ?? "").split(",").filter(Boolean);
  return {
    id: row.id,
    submittedAt: shown(row.submitted_at),
    expiresAt: shown(row.expires_at),
    status: row.status as ProfileStatus,
    profile: JSON.parse(row.data) as Profile,
    revision: row.revision,
    evaluatedOn: row.evaluated_on,
    evaluation:
      row.evaluated_on === null
        ? null
        : {
            crs: row.crs,
            inPool: row.in_pool === 1,
            programs: groups.filter((g) => g.startsWith("program:")).map((g) => g.slice(8)),
            categories: groups.filter((g) => g.startsWith("category:")).map((g) => g.slice(9)),
            provincialNomination: groups.includes("pnp"),
            validUntil: row.valid_until,
          },
  };
}

/** The ranking rows of a profile in the pool with this evaluation (none when it is not in the pool). */
export function rankingRowsOf(u: EvaluationUpdate): RankingTable[] {
  if (u.status !== "in-pool" || u.evaluation.crs === null) return [];
  const submitted = sortable(u.submittedAt);
  const expires = sortable(u.expiresAt);
  const crs = u.evaluation.crs;
  return groupKeysOf(u.evaluation).map((group_key) => ({
    group_key,
    crs,
    submitted_at: submitted,
    expires_at: expires,
    profile_id: u.id,
  }));
}

function toRound(row: RoundsTable): StoredRound {
  return {
    number: row.number,
    name: row.name,
    kind: row.kind as StoredRound["kind"],
    program: row.program,
    categoryVersion: row.category_version,
    invitationsRequested: row.invitations_requested,
    at: shown(row.at),
    asOfDate: row.as_of_date,
    invited: row.invited,
    eligible: row.eligible,
    cutoffCrs: row.cutoff_crs,
    tieBreak: row.tie_break === null ? null : shown(row.tie_break),
    distribution: JSON.parse(row.distribution),
    createdAt: row.created_at,
  };
}

function toInvitation(row: Omit<InvitationsTable, "id"> & { id: number }): StoredInvitation {
  return {
    id: row.id,
    roundNumber: row.round_number,
    profileId: row.profile_id,
    rank: row.rank,
    crs: row.crs,
    issuedAt: shown(row.issued_at),
    expiresAt: shown(row.expires_at),
    status: row.status as InvitationStatus,
    respondedAt: row.responded_at === null ? null : shown(row.responded_at),
  };
}

/** Migrates to the latest schema; `schema` keeps Kysely's bookkeeping tables in the pool's own schema. */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<void> {
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed)
    throw new Error(
      `database migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String(error)}`,
    );
}

export class KyselyPoolStore implements PoolStore {
  constructor(
    protected readonly db: Kysely<Database> | Transaction<Database>,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  /** The root Kysely instance (not a transaction), for migrations. */
  protected get kysely(): Kysely<Database> {
    return this.db as Kysely<Database>;
  }

  async transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return (this.db as Kysely<Database>).transaction().execute((trx) => work(this.withTransaction(trx)));
  }

  /** The same store bound to a transaction (subclasses keep their specializations). */
  protected withTransaction(trx: Transaction<Database>): PoolStore {
    return new KyselyPoolStore(trx);
  }

  /** Profiles joined with their state, every column a StoredProfile needs. */
  private joined() {
    return this.db
      .selectFrom("profiles as p")
      .innerJoin("profile_state as s", "s.id", "p.id")
      .select([
        "p.id",
        "p.data",
        "s.submitted_at",
        "s.expires_at",
        "s.status",
        "s.revision",
        "s.evaluated_on",
        "s.valid_until",
        "s.crs",
        "s.in_pool",
        "s.groups",
      ]);
  }

  async insertProfiles(rows: readonly NewProfileRow[]): Promise<void> {
    const now = nowIso();
    for (const part of chunks(rows, 100)) {
      await this.db
        .insertInto("profiles")
        .values(part.map((p) => ({ id: p.id, data: p.data, created_at: now, updated_at: now })))
        .execute();
      await this.db
        .insertInto("profile_state")
        .values(
          part.map((p) => ({
            id: p.id,
            submitted_at: sortable(p.submittedAt),
            expires_at: sortable(p.expiresAt),
            status: p.status,
          })),
        )
        .execute();
    }
  }

  async replaceProfileData(rows: readonly { id: string; profile: Profile }[]): Promise<void> {
    const now = nowIso();
    for (const row of rows) {
      await this.db
        .updateTable("profiles")
        .set({ data: JSON.stringify(row.profile), updated_at: now })
        .where("id", "=", row.id)
        .execute();
      await this.db
        .updateTable("profile_state")
        .set((eb) => ({
          revision: eb("revision", "+", 1),
          evaluated_on: null,
          valid_until: null,
          crs: null,
          in_pool: null,
          groups: null,
        }))
        .where("id", "=", row.id)
        .execute();
      await this.db.deleteFrom("ranking").where("profile_id", "=", row.id).execute();
    }
  }

  async existingProfileIds(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await this.db.selectFrom("profiles").select("id").where("id", "in", part).execute();
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  async getProfile(id: string): Promise<StoredProfile | undefined> {
    const row = await this.joined().where("p.id", "=", id).executeTakeFirst();
    return row ? toProfile(row) : undefined;
  }

  async profilesByIds(ids: readonly string[]): Promise<StoredProfile[]> {
    const out: StoredProfile[] = [];
    for (const part of chunks(ids))
      for (const row of await this.joined().where("p.id", "in", part).execute()) out.push(toProfile(row));
    return out;
  }

  async evaluationInputs(ids: readonly string[]): Promise<EvaluationInput[]> {
    const out: EvaluationInput[] = [];
    for (const part of chunks(ids)) {
      const rows = await this.joined().where("p.id", "in", part).execute();
      for (const r of rows)
        out.push({
          id: r.id,
          revision: r.revision,
          status: r.status as ProfileStatus,
          submittedAt: shown(r.submitted_at),
          expiresAt: shown(r.expires_at),
          data: r.data,
        });
    }
    return out;
  }

  async *profilesWithStatus(
    statuses: readonly ProfileStatus[],
    pageSize = 5000,
  ): AsyncIterable<StoredProfile[]> {
    let after = "";
    for (;;) {
      let query = this.joined().where("p.id", ">", after).orderBy("p.id").limit(pageSize);
      if (statuses.length > 0) query = query.where("s.status", "in", [...statuses]);
      const rows = await query.execute();
      if (rows.length === 0) return;
      yield rows.map(toProfile);
      after = rows[rows.length - 1]?.id as string;
    }
  }

  async countProfiles(): Promise<number> {
    const row = await this.db
      .selectFrom("profiles")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom("profile_state")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async countInPoolAt(at: string): Promise<number> {
    const row = await this.db
      .selectFrom("profile_state")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", "in-pool")
      .where("submitted_at", "<=", sortable(at))
      .where("expires_at", ">", sortable(at))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setStatus(ids: readonly string[], status: ProfileStatus): Promise<void> {
    for (const part of chunks(ids)) {
      await this.db
        .updateTable("profile_state")
        .set((eb) => ({
          status,
          revision: eb("revision", "+", 1),
          // Back in the pool: evaluated anew, which also writes its ranking rows.
          ...(status === "in-pool" ? { evaluated_on: null } : {}),
        }))
        .where("id", "in", part)
        .execute();
      await this.db.deleteFrom("ranking").where("profile_id", "in", part).execute();
    }
  }

  async staleProfileIds(date: string, statuses: readonly ProfileStatus[]): Promise<string[]> {
    const out = new Set<string>();
    for (const status of statuses) {
      // The status as a literal, so a database can use the partial index of that status.
      const base = () =>
        this.db.selectFrom("profile_state").select("id").where("status", "=", sql.lit(status));
      const rows = await base()
        .where("evaluated_on", "is", null)
        .union(base().where("evaluated_on", ">", date))
        .union(base().where("valid_until", "<", date))
        .execute();
      for (const r of rows) out.add(r.id);
    }
    return [...out].sort();
  }

  async saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<number> {
    let saved = 0;
    for (const row of rows) {
      const result = await this.db
        .updateTable("profile_state")
        .set({
          evaluated_on: row.evaluatedOn,
          valid_until: row.evaluation.validUntil,
          crs: row.evaluation.crs,
          in_pool: Number(row.evaluation.inPool),
          groups: groupsOf(row.evaluation),
        })
        .where("id", "=", row.id)
        .where("revision", "=", row.revision)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      saved++;
      await this.db.deleteFrom("ranking").where("profile_id", "=", row.id).execute();
      const ranking = rankingRowsOf(row);
      if (ranking.length > 0) await this.db.insertInto("ranking").values(ranking).execute();
    }
    return saved;
  }

  async idsByEvaluation(status: ProfileStatus, inPool: boolean, at: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("profile_state")
      .select("id")
      .where("status", "=", status)
      .where("in_pool", "=", Number(inPool))
      .where("submitted_at", "<=", sortable(at))
      .where("expires_at", ">", sortable(at))
      .execute();
    return rows.map((r) => r.id);
  }

  async expiredIds(statuses: readonly ProfileStatus[], at: string): Promise<string[]> {
    if (statuses.length === 0) return [];
    const rows = await this.db
      .selectFrom("profile_state")
      .select("id")
      .where("status", "in", [...statuses])
      .where("expires_at", "<=", sortable(at))
      .execute();
    return rows.map((r) => r.id);
  }

  private group(moment: PoolMoment, group: string) {
    return this.db
      .selectFrom("ranking")
      .where("group_key", "=", group)
      .where("submitted_at", "<=", sortable(moment.at))
      .where("expires_at", ">", sortable(moment.at));
  }

  async countEligible(moment: PoolMoment, group: string): Promise<number> {
    const row = await this.group(moment, group)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async rankGroup(moment: PoolMoment, group: string, limit: number): Promise<RankedCandidate[]> {
    const rows = await this.group(moment, group)
      .select(["profile_id", "crs", "submitted_at"])
      .orderBy("crs", "desc")
      .orderBy("submitted_at", "asc")
      .orderBy("profile_id", "asc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.profile_id, crs: r.crs, submittedAt: shown(r.submitted_at) }));
  }

  async crsHistogram(moment: PoolMoment): Promise<Map<number, number>> {
    const rows = await this.group(moment, ALL_GROUP)
      .select(["crs", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("crs")
      .execute();
    return new Map(rows.map((r) => [r.crs, Number(r.n)]));
  }

  async insertRound(r: StoredRound): Promise<void> {
    await this.db
      .insertInto("rounds")
      .values({
        number: r.number,
        name: r.name,
        kind: r.kind,
        program: r.program,
        category_version: r.categoryVersion,
        invitations_requested: r.invitationsRequested,
        at: sortable(r.at),
        as_of_date: r.asOfDate,
        invited: r.invited,
        eligible: r.eligible,
        cutoff_crs: r.cutoffCrs,
        tie_break: r.tieBreak === null ? null : sortable(r.tieBreak),
        distribution: JSON.stringify(r.distribution),
        created_at: r.createdAt,
      })
      .execute();
  }

  async getRound(number: number): Promise<StoredRound | undefined> {
    const row = await this.db
      .selectFrom("rounds")
      .selectAll()
      .where("number", "=", number)
      .executeTakeFirst();
    return row ? toRound(row) : undefined;
  }

  async listRounds(): Promise<StoredRound[]> {
    return (await this.db.selectFrom("rounds").selectAll().orderBy("number").execute()).map(toRound);
  }

  async insertInvitations(rows: readonly Omit<StoredInvitation, "id">[]): Promise<void> {
    for (const part of chunks(rows, 200))
      await this.db
        .insertInto("invitations")
        .values(
          part.map((i) => ({
            round_number: i.roundNumber,
            profile_id: i.profileId,
            rank: i.rank,
            crs: i.crs,
            issued_at: sortable(i.issuedAt),
            expires_at: sortable(i.expiresAt),
            status: i.status,
            responded_at: i.respondedAt === null ? null : sortable(i.respondedAt),
          })),
        )
        .execute();
  }

  async getInvitation(id: number): Promise<StoredInvitation | undefined> {
    const row = await this.db.selectFrom("invitations").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toInvitation(row) : undefined;
  }

  async invitationsOfRound(round: number): Promise<StoredInvitation[]> {
    const rows = await this.db
      .selectFrom("invitations")
      .selectAll()
      .where("round_number", "=", round)
      .orderBy("rank")
      .execute();
    return rows.map(toInvitation);
  }

  async lapsedInvitations(at: string): Promise<StoredInvitation[]> {
    const rows = await this.db
      .selectFrom("invitations")
      .selectAll()
      .where("status", "=", "issued")
      .where("expires_at", "<=", sortable(at))
      .orderBy("id")
      .execute();
    return rows.map(toInvitation);
  }

  async respondToInvitation(id: number, status: InvitationStatus, at: string): Promise<void> {
    await this.db
      .updateTable("invitations")
      .set({ status, responded_at: sortable(at) })
      .where("id", "=", id)
      .execute();
  }

  async replaceHistory(history: StoredHistory): Promise<void> {
    await this.db.deleteFrom("history_rounds").execute();
    await this.db.deleteFrom("history_sync").execute();
    for (let i = 0; i < history.rounds.length; i += 200)
      await this.db
        .insertInto("history_rounds")
        .values(
          history.rounds
            .slice(i, i + 200)
            .map((r) => ({ number: r.number, ord: r.order, data: JSON.stringify(r) })),
        )
        .execute();
    await this.db
      .insertInto("history_sync")
      .values({
        id: 1,
        synced_at: history.syncedAt,
        source: history.source,
        anomalies: JSON.stringify(history.anomalies),
      })
      .execute();
  }

  async storedHistory(): Promise<StoredHistory | null> {
    const sync = await this.db.selectFrom("history_sync").selectAll().where("id", "=", 1).executeTakeFirst();
    if (!sync) return null;
    const rows = await this.db.selectFrom("history_rounds").select("data").orderBy("ord").execute();
    return {
      syncedAt: sync.synced_at,
      source: sync.source,
      rounds: rows.map((r) => JSON.parse(r.data) as HistoryRound),
      anomalies: JSON.parse(sync.anomalies) as HistoryAnomaly[],
    };
  }

  async historySyncedAt(): Promise<string | null> {
    const sync = await this.db
      .selectFrom("history_sync")
      .select("synced_at")
      .where("id", "=", 1)
      .executeTakeFirst();
    return sync?.synced_at ?? null;
  }

  async setProfileTokenHash(id: string, hash: string): Promise<void> {
    await this.db
      .insertInto("profile_tokens")
      .values({ profile_id: id, token_hash: hash })
      .onConflict((c) => c.column("profile_id").doUpdateSet({ token_hash: hash }))
      .execute();
  }

  async profileTokenHash(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("profile_tokens")
      .select("token_hash")
      .where("profile_id", "=", id)
      .executeTakeFirst();
    return row?.token_hash;
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
