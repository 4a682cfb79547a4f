/** Table shapes for Kysely; columns are snake_case, instants are ISO UTC strings, JSON is text. */
import type { Generated } from "kysely";

/** The profile as submitted (wide: its JSON); written on import and on edits only. */
export interface ProfilesTable {
  id: string;
  data: string;
  created_at: string;
  updated_at: string;
}

/** What changes about a profile: its status, its revision and its cached evaluation (narrow rows). */
export interface ProfileStateTable {
  id: string;
  submitted_at: string;
  expires_at: string;
  status: string;
  /** Counts changes of data or status; an evaluation is saved only for the revision it read. */
  revision: Generated<number>;
  /** The cached evaluation holds from this Ottawa date… */
  evaluated_on: string | null;
  /** …through this one (null: no end foreseen). */
  valid_until: string | null;
  crs: number | null;
  in_pool: number | null;
  /** ",program:CEC,category:physicians-2026-v1,pnp," — the evaluation's groups, as shown. */
  groups: string | null;
}

export interface RoundsTable {
  number: number;
  name: string;
  kind: string;
  program: string | null;
  category_version: string | null;
  invitations_requested: number;
  at: string;
  as_of_date: string;
  invited: number;
  eligible: number;
  cutoff_crs: number | null;
  tie_break: string | null;
  distribution: string;
  created_at: string;
}

export interface InvitationsTable {
  id: Generated<number>;
  round_number: number;
  profile_id: string;
  rank: number;
  crs: number;
  issued_at: string;
  expires_at: string;
  status: string;
  responded_at: string | null;
}

/** One row per (profile in the pool, group it is eligible for): what rounds rank, count and band. */
export interface RankingTable {
  /** "all" (every profile in the pool), "program:CEC", "category:<version>", "pnp". */
  group_key: string;
  crs: number;
  submitted_at: string;
  expires_at: string;
  profile_id: string;
}

export interface Database {
  profiles: ProfilesTable;
  profile_state: ProfileStateTable;
  ranking: RankingTable;
  rounds: RoundsTable;
  invitations: InvitationsTable;
  history_rounds: { number: string; ord: number; data: string };
  history_sync: { id: number; synced_at: string; source: string; anomalies: string };
  profile_tokens: { profile_id: string; token_hash: string };
}
