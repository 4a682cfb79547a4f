/**
 * PoolStore over Kysely. Written against the query builder only, so SQLite (now) and PostgreSQL
 * (later) share it; dialect-specific setup lives in sqlite.ts.
 */
import { type Kysely, Migrator, type Transaction } from "kysely";
import { displayInstant as shown, normalizeInstant as sortable } from "../../calendar/instants.js";
import { groupsOf, type RankedCandidate } from "../../domain/rounds/round.js";
import type {
  EvaluationUpdate,
  InvitationStatus,
  NewProfileRow,
  PoolMoment,
  PoolStore,
  ProfileStatus,
  StoredInvitation,
  StoredProfile,
  StoredRound,
} from "../../app/ports.js";
import type { Profile } from "../../domain/profile/profile.js";
import { migrationProvider } from "./migrations.js";
import type { Database, InvitationsTable, ProfilesTable, RoundsTable } from "./schema.js";

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

function toProfile(row: ProfilesTable): StoredProfile {
  const groups = (row.groups ?? "").split(",").filter(Boolean);
  return {
    id: row.id,
    submittedAt: shown(row.submitted_at),
    expiresAt: shown(row.expires_at),
    status: row.status as ProfileStatus,
    profile: JSON.parse(row.data) as Profile,
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
            validUntil: null,
          },
  };
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

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed)
    throw new Error(
      `database migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String(error)}`,
    );
}

export class KyselyPoolStore implements PoolStore {
  constructor(
    private readonly db: Kysely<Database> | Transaction<Database>,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return (this.db as Kysely<Database>).transaction().execute((trx) => work(this.withTransaction(trx)));
  }

  /** The same store bound to a transaction (subclasses keep their specializations). */
  protected withTransaction(trx: Transaction<Database>): PoolStore {
    return new KyselyPoolStore(trx);
  }

  async insertProfiles(rows: readonly NewProfileRow[]): Promise<void> {
    const now = nowIso();
    for (const part of chunks(rows, 100))
      await this.db
        .insertInto("profiles")
        .values(
          part.map((p) => ({
            id: p.id,
            submitted_at: sortable(p.submittedAt),
            expires_at: sortable(p.expiresAt),
            status: p.status,
            data: p.data,
            evaluated_on: null,
            crs: null,
            in_pool: null,
            groups: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
  }

  async replaceProfileData(rows: readonly { id: string; profile: Profile }[]): Promise<void> {
    const now = nowIso();
    for (const row of rows)
      await this.db
        .updateTable("profiles")
        .set({
          data: JSON.stringify(row.profile),
          evaluated_on: null,
          crs: null,
          in_pool: null,
          groups: null,
          updated_at: now,
        })
        .where("id", "=", row.id)
        .execute();
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
    const row = await this.db.selectFrom("profiles").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toProfile(row) : undefined;
  }

  async *profilesWithStatus(
    statuses: readonly ProfileStatus[],
    pageSize = 5000,
  ): AsyncIterable<StoredProfile[]> {
    let after = "";
    for (;;) {
      let query = this.db
        .selectFrom("profiles")
        .selectAll()
        .where("id", ">", after)
        .orderBy("id")
        .limit(pageSize);
      if (statuses.length > 0) query = query.where("status", "in", [...statuses]);
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

  async setStatus(ids: readonly string[], status: ProfileStatus): Promise<void> {
    const now = nowIso();
    for (const part of chunks(ids))
      await this.db
        .updateTable("profiles")
        .set({ status, updated_at: now })
        .where("id", "in", part)
        .execute();
  }

  async saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<void> {
    for (const row of rows)
      await this.db
        .updateTable("profiles")
        .set({
          evaluated_on: row.evaluatedOn,
          crs: row.evaluation.crs,
          in_pool: Number(row.evaluation.inPool),
          groups: groupsOf(row.evaluation),
        })
        .where("id", "=", row.id)
        .execute();
  }

  private inPool(moment: PoolMoment) {
    return this.db
      .selectFrom("profiles")
      .where("status", "=", "in-pool")
      .where("submitted_at", "<=", sortable(moment.at))
      .where("expires_at", ">", sortable(moment.at));
  }

  async *staleProfiles(moment: PoolMoment, pageSize = 5000): AsyncIterable<StoredProfile[]> {
    // Ids first, from the covering index; then the wide rows, a page at a time.
    const ids = (
      await this.inPool(moment)
        .select("id")
        .where((eb) => eb.or([eb("evaluated_on", "is", null), eb("evaluated_on", "!=", moment.date)]))
        .execute()
    ).map((r) => r.id);
    for (let i = 0; i < ids.length; i += pageSize) {
      const rows = await this.db
        .selectFrom("profiles")
        .selectAll()
        .where("id", "in", ids.slice(i, i + pageSize))
        .execute();
      yield rows.map(toProfile);
    }
  }

  private eligible(moment: PoolMoment, group: string | null) {
    let q = this.inPool(moment).where("evaluated_on", "=", moment.date).where("in_pool", "=", 1);
    if (group !== null) q = q.where("groups", "like", `%,${group},%`);
    return q;
  }

  async countEligible(moment: PoolMoment, group: string | null): Promise<number> {
    const row = await this.eligible(moment, group)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async rankGroup(moment: PoolMoment, group: string | null, limit: number): Promise<RankedCandidate[]> {
    const rows = await this.eligible(moment, group)
      .select(["id", "crs", "submitted_at"])
      .orderBy("crs", "desc")
      .orderBy("submitted_at", "asc")
      .orderBy("id", "asc")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, crs: r.crs ?? 0, submittedAt: shown(r.submitted_at) }));
  }

  async crsHistogram(moment: PoolMoment): Promise<Map<number, number>> {
    const rows = await this.eligible(moment, null)
      .select(["crs", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("crs")
      .execute();
    return new Map(rows.map((r) => [r.crs ?? 0, Number(r.n)]));
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

  async close(): Promise<void> {
    await this.onClose();
  }
}
