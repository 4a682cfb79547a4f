/**
 * What the pool and rounds services need from storage. The domain knows nothing of this; adapters
 * (SQLite now, PostgreSQL later) implement it.
 */
import type { Profile } from "../domain/profile/profile.js";
import type { RankedCandidate, RoundEvaluation } from "../domain/rounds/round.js";
import type { Distribution } from "../domain/rounds/round.js";

export const PROFILE_STATUSES = [
  "in-pool",
  "invited",
  "applied",
  "declined",
  "expired",
  "withdrawn",
  "ineligible",
] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

export interface StoredProfile {
  id: string;
  /** UTC instant the profile was submitted: the tie-break key. Editing never changes it. */
  submittedAt: string;
  /** UTC instant the profile leaves the pool unless invited before. */
  expiresAt: string;
  status: ProfileStatus;
  profile: Profile;
  /** The Ottawa date the cached evaluation is for, or null before any evaluation. */
  evaluatedOn: string | null;
  evaluation: RoundEvaluation | null;
}

/** A new profile row, its profile already serialized (so validation can run on another thread). */
export interface NewProfileRow {
  id: string;
  submittedAt: string;
  expiresAt: string;
  status: ProfileStatus;
  /** The validated profile as JSON. */
  data: string;
}

export interface StoredRound {
  number: number;
  name: string;
  kind: "general" | "program" | "category";
  program: string | null;
  categoryVersion: string | null;
  invitationsRequested: number;
  at: string;
  asOfDate: string;
  invited: number;
  eligible: number;
  cutoffCrs: number | null;
  tieBreak: string | null;
  distribution: Distribution;
  createdAt: string;
}

export type InvitationStatus = "issued" | "accepted" | "declined" | "expired";

export interface StoredInvitation {
  id: number;
  roundNumber: number;
  profileId: string;
  rank: number;
  crs: number;
  issuedAt: string;
  expiresAt: string;
  status: InvitationStatus;
  respondedAt: string | null;
}

export interface EvaluationUpdate {
  id: string;
  evaluatedOn: string;
  evaluation: RoundEvaluation;
}

/** Which profiles a query is about: those in the pool at instant `at`, evaluated for Ottawa date `date`. */
export interface PoolMoment {
  at: string;
  date: string;
}

export interface PoolStore {
  /** Runs `work` in one transaction: everything it wrote is kept, or nothing if it throws. */
  transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T>;
  insertProfiles(rows: readonly NewProfileRow[]): Promise<void>;
  replaceProfileData(rows: readonly { id: string; profile: Profile }[]): Promise<void>;
  existingProfileIds(ids: readonly string[]): Promise<Set<string>>;
  getProfile(id: string): Promise<StoredProfile | undefined>;
  /** Profiles with any of these statuses, in id order, in pages. */
  profilesWithStatus(statuses: readonly ProfileStatus[], pageSize?: number): AsyncIterable<StoredProfile[]>;
  countProfiles(): Promise<number>;
  setStatus(ids: readonly string[], status: ProfileStatus): Promise<void>;
  saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<void>;
  /** Profiles in the pool at `at` (status in-pool, submitted by then, not expired) not yet evaluated for `date`. */
  staleProfiles(moment: PoolMoment, pageSize?: number): AsyncIterable<StoredProfile[]>;
  /** Profiles in the pool at `at` whose evaluation for `date` says they are eligible for a program. */
  countEligible(moment: PoolMoment, group: string | null): Promise<number>;
  /** The eligible group (all eligible when `group` is null) ranked by CRS desc, submission asc, id asc. */
  rankGroup(moment: PoolMoment, group: string | null, limit: number): Promise<RankedCandidate[]>;
  /** CRS score → number of eligible candidates in the pool. */
  crsHistogram(moment: PoolMoment): Promise<Map<number, number>>;
  insertRound(round: StoredRound): Promise<void>;
  getRound(number: number): Promise<StoredRound | undefined>;
  listRounds(): Promise<StoredRound[]>;
  insertInvitations(rows: readonly Omit<StoredInvitation, "id">[]): Promise<void>;
  getInvitation(id: number): Promise<StoredInvitation | undefined>;
  invitationsOfRound(round: number): Promise<StoredInvitation[]>;
  /** Issued invitations whose deadline is at or before `at`. */
  lapsedInvitations(at: string): Promise<StoredInvitation[]>;
  respondToInvitation(id: number, status: InvitationStatus, at: string): Promise<void>;
  close(): Promise<void>;
}
