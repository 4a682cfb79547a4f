/**
 * Versioned schema migrations, written with Kysely's schema builder so the same steps run on SQLite
 * and PostgreSQL. Never edit a released migration: add the next one. (The PostgreSQL branches of 0001
 * and 0002 were settled when PostgreSQL first ran them, in issue 10: before that no PostgreSQL database
 * could have been migrated, as invitations had no id default there; the SQLite DDL is unchanged.)
 */
import { type Kysely, type Migration, type MigrationProvider, SqliteAdapter, sql } from "kysely";

function onSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * Keys and instants compare byte by byte on both databases: SQLite's default, and on PostgreSQL the
 * "C" collation whatever the database's default is (a locale's order would rank ties, page ids and
 * compare instants differently from SQLite, and is slower).
 */
function keyText(db: Kysely<unknown>) {
  return onSqlite(db) ? sql`text` : sql`text collate "C"`;
}

const migrations: Record<string, Migration> = {
  "0001-pool-and-rounds": {
    async up(db: Kysely<unknown>) {
      const key = keyText(db);
      await db.schema
        .createTable("profiles")
        .addColumn("id", key, (c) => c.primaryKey())
        .addColumn("submitted_at", key, (c) => c.notNull())
        .addColumn("expires_at", key, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        // The evaluation cache: CRS and group memberships on the Ottawa date `evaluated_on`.
        .addColumn("evaluated_on", "text")
        .addColumn("crs", "integer")
        .addColumn("in_pool", "integer")
        .addColumn("groups", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("profiles_status").on("profiles").columns(["status", "id"]).execute();
      // Covering index for rankings, counts and the stale-evaluation check: those scans never touch the
      // wide rows (the profile JSON), which is what keeps a round over a million profiles fast.
      await db.schema
        .createIndex("profiles_ranking")
        .on("profiles")
        .columns(["status", "evaluated_on", "in_pool", "crs", "submitted_at", "expires_at", "groups", "id"])
        .execute();
      await db.schema
        .createTable("rounds")
        .addColumn("number", "integer", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("program", "text")
        .addColumn("category_version", "text")
        .addColumn("invitations_requested", "integer", (c) => c.notNull())
        .addColumn("at", key, (c) => c.notNull())
        .addColumn("as_of_date", "text", (c) => c.notNull())
        .addColumn("invited", "integer", (c) => c.notNull())
        .addColumn("eligible", "integer", (c) => c.notNull())
        .addColumn("cutoff_crs", "integer")
        .addColumn("tie_break", "text")
        .addColumn("distribution", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("invitations")
        // SQLite assigns INTEGER PRIMARY KEY ids itself; PostgreSQL from an identity column.
        .addColumn("id", "integer", (c) =>
          onSqlite(db) ? c.primaryKey() : c.primaryKey().generatedByDefaultAsIdentity(),
        )
        .addColumn("round_number", "integer", (c) => c.notNull().references("rounds.number"))
        .addColumn("profile_id", key, (c) => c.notNull().references("profiles.id"))
        .addColumn("rank", "integer", (c) => c.notNull())
        .addColumn("crs", "integer", (c) => c.notNull())
        .addColumn("issued_at", key, (c) => c.notNull())
        .addColumn("expires_at", key, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("responded_at", "text")
        .addUniqueConstraint("invitations_round_profile", ["round_number", "profile_id"])
        .execute();
      await db.schema
        .createIndex("invitations_status")
        .on("invitations")
        .columns(["status", "expires_at"])
        .execute();
    },
  },
  /**
   * Evaluations that know how long they hold, and one table to rank from:
   * - what changes about a profile (status, revision, the cached evaluation) moves out of the wide
   *   profile row into `profile_state`, so a status change or an evaluation rewrites a narrow row, not
   *   the profile JSON;
   * - each cached evaluation holds from `evaluated_on` through `valid_until` (null: no end foreseen),
   *   so a new date re-evaluates only the profiles whose evaluation has lapsed;
   * - `revision` counts changes to a profile (data or status): an evaluation is saved only for the
   *   revision it was computed from, so an edit during a refresh is never overwritten by a stale result;
   * - `ranking` holds one row per (profile in the pool, group it is eligible for), with the ranking
   *   keys, so a round's count, top N and distribution are index range scans of its group;
   * - at most one open (issued) invitation per profile, enforced by the database.
   */
  "0002-evaluation-validity-and-ranking": {
    async up(db: Kysely<unknown>) {
      const sqlite = onSqlite(db);
      const key = keyText(db);
      await db.schema
        .createTable("profile_state")
        // Narrow rows keyed by id: on SQLite the key is the table itself (no rowid table beside it).
        .$call((t) => (sqlite ? t.modifyEnd(sql`WITHOUT ROWID`) : t))
        .addColumn("id", key, (c) => c.primaryKey().references("profiles.id"))
        .addColumn("submitted_at", key, (c) => c.notNull())
        .addColumn("expires_at", key, (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("evaluated_on", key)
        .addColumn("valid_until", key)
        .addColumn("crs", "integer")
        .addColumn("in_pool", "integer")
        .addColumn("groups", "text")
        .execute();
      // Evaluations cached before this migration have no validity: they are redone on first use.
      await sql`INSERT INTO profile_state (id, submitted_at, expires_at, status)
                SELECT id, submitted_at, expires_at, status FROM profiles`.execute(db);
      await db.schema.dropIndex("profiles_ranking").execute();
      await db.schema.dropIndex("profiles_status").execute();
      for (const column of [
        "submitted_at",
        "expires_at",
        "status",
        "evaluated_on",
        "crs",
        "in_pool",
        "groups",
      ])
        await db.schema.alterTable("profiles").dropColumn(column).execute();
      // Staleness is asked only of the profiles whose evaluations are kept, one status at a time:
      // partial indexes, so an invitation (status invited) removes a profile from them, moves nothing.
      // A profile never evaluated has no valid_until: it is found by evaluated_on IS NULL alone.
      for (const status of ["in-pool", "ineligible"])
        for (const column of ["evaluated_on", "valid_until"])
          await db.schema
            .createIndex(`profile_state_${status.replace("-", "_")}_${column}`)
            .on("profile_state")
            .column(column)
            .where((eb) =>
              eb.and([
                eb(sql.ref("status"), "=", sql.lit(status)),
                ...(column === "valid_until" ? [eb(sql.ref("valid_until"), "is not", null)] : []),
              ]),
            )
            .execute();
      if (sqlite) {
        // The ranking order is the table itself (no rowid table beside it): a round's top N and the
        // rows it removes are one contiguous range of it.
        await sql`CREATE TABLE ranking (
            group_key TEXT NOT NULL,
            crs INTEGER NOT NULL,
            submitted_at TEXT NOT NULL,
            profile_id TEXT NOT NULL REFERENCES profiles (id),
            expires_at TEXT NOT NULL,
            PRIMARY KEY (group_key, crs DESC, submitted_at, profile_id)
          ) WITHOUT ROWID`.execute(db);
        await db.schema.createIndex("ranking_profile").on("ranking").column("profile_id").execute();
      } else {
        // Two indexes where SQLite has a table and one: the key (profile first, which is also how a
        // profile's rows are found and removed) and the ranking order, covering what a round reads.
        // No foreign key: the rows are derived (written only with a profile's evaluation), and
        // PostgreSQL checks a foreign key with a trigger per row, a third of a refresh's writes.
        await db.schema
          .createTable("ranking")
          .addColumn("group_key", key, (c) => c.notNull())
          .addColumn("crs", "integer", (c) => c.notNull())
          .addColumn("submitted_at", key, (c) => c.notNull())
          .addColumn("profile_id", key, (c) => c.notNull())
          .addColumn("expires_at", key, (c) => c.notNull())
          .addPrimaryKeyConstraint("ranking_pk", ["profile_id", "group_key"])
          .execute();
        await sql`CREATE INDEX ranking_order ON ranking
                    (group_key, crs DESC, submitted_at, profile_id) INCLUDE (expires_at)`.execute(db);
      }
      await db.schema
        .createIndex("invitations_one_open")
        .on("invitations")
        .column("profile_id")
        .unique()
        .where(sql.ref("status"), "=", "issued")
        .execute();
    },
  },
  "0003-round-history": {
    async up(db: Kysely<unknown>) {
      // IRCC's published rounds as `ee history sync` last read them (one JSON record per round), and
      // the sync itself: when, from where, and the anomalies the feed had.
      await db.schema
        .createTable("history_rounds")
        .addColumn("number", "text", (c) => c.primaryKey())
        .addColumn("ord", "real", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("history_sync")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("synced_at", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("anomalies", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0004-profile-tokens": {
    async up(db: Kysely<unknown>) {
      // A candidate's access to their own profile through the API: only the token's SHA-256 is kept.
      await db.schema
        .createTable("profile_tokens")
        .addColumn("profile_id", keyText(db), (c) => c.primaryKey().references("profiles.id"))
        .addColumn("token_hash", "text", (c) => c.notNull())
        .execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
