/**
 * Versioned schema migrations, written with Kysely's schema builder so the same steps run on SQLite
 * and PostgreSQL. Never edit a released migration: add the next one.
 */
import type { Kysely, Migration, MigrationProvider } from "kysely";

const migrations: Record<string, Migration> = {
  "0001-pool-and-rounds": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("profiles")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("submitted_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
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
        .addColumn("at", "text", (c) => c.notNull())
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
        // SQLite assigns INTEGER PRIMARY KEY ids itself; the PostgreSQL adapter will need an identity column here.
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("round_number", "integer", (c) => c.notNull().references("rounds.number"))
        .addColumn("profile_id", "text", (c) => c.notNull().references("profiles.id"))
        .addColumn("rank", "integer", (c) => c.notNull())
        .addColumn("crs", "integer", (c) => c.notNull())
        .addColumn("issued_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
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
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
