/** Table shapes for Kysely; columns are snake_case, instants are ISO UTC strings, JSON is text. */
import type { Generated } from "kysely";

export interface ProfilesTable {
  id: string;
  submitted_at: string;
  expires_at: string;
  status: string;
  data: string;
  evaluated_on: string | null;
  crs: number | null;
  in_pool: number | null;
  /** ",program:CEC,category:physicians-2026-v1,pnp," — wrapped in commas for LIKE matching. */
  groups: string | null;
  created_at: string;
  updated_at: string;
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

export interface Database {
  profiles: ProfilesTable;
  rounds: RoundsTable;
  invitations: InvitationsTable;
}
