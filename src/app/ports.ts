/**
 * What the pool and rounds services need from storage. The domain knows nothing of this; adapters
 * (SQLite now, PostgreSQL later) implement it.
 */
import type { Profile } from "../domain/profile/profile.js";
import type { RankedCandidate, RoundEvaluation } from "../domain/rounds/round.js";
import type { Distribution } from "../domain/rounds/round.js";
import type { HistoryAnomaly, HistoryRound } from "../domain/history/round-record.js";

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
  /** Counts changes of the profile's data or status (an evaluation is saved only for the revision it read). */
  revision: number;
  /** The first Ottawa date the cached evaluation holds on, or null before any evaluation. */
  evaluatedOn: string | null;
  /** The cached evaluation, holding from `evaluatedOn` through `evaluation.validUntil`. */
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

/** A stored profile as the evaluation refresh reads it (the JSON stays text until it is evaluated). */
export interface EvaluationInput {
  id: string;
  revision: number;
  status: ProfileStatus;
  submittedAt: string;
  expiresAt: string;
  /** The validated profile as JSON. */
  data: string;
}

export interface EvaluationUpdate {
  id: string;
  /** The revision the evaluation was computed from: if the profile changed since, it is not saved. */
  revision: number;
  /** The profile's status, submission and expiry when it was read (they are fixed for a revision). */
  status: ProfileStatus;
  submittedAt: string;
  expiresAt: string;
  evaluatedOn: string;
  evaluation: RoundEvaluation;
}

/** Which profiles a query is about: those in the pool at instant `at`, evaluated for Ottawa date `date`. */
export interface PoolMoment {
  at: string;
  date: string;
}

/** A writer waited its bounded time for another one to finish and gave up: nothing was written. */
export class StoreBusyError extends Error {}

/**
 * The database could not be reached (refused, dropped, shutting down). A write in flight is rolled
 * back by the database itself, so nothing of it was kept; the same call can be tried again later.
 */
export class StoreUnavailableError extends Error {}

/** The statuses whose evaluations a refresh keeps current: the pool, and those waiting to qualify again. */
export const EVALUATED_STATUSES: readonly ProfileStatus[] = ["in-pool", "ineligible"];

/**
 * Storage of the pool. Every write goes through `transaction`, which runs one writer at a time (the
 * SQLite adapter begins it IMMEDIATE; the PostgreSQL one takes the pool's advisory lock; both wait a
 * bounded time for another writer to finish, then StoreBusyError). Ranking
 * reads (`countEligible`, `rankGroup`, `crsHistogram`) see the cached evaluations: callers refresh
 * them for the moment's date first, inside the same transaction.
 */
/** A round history as synced into the store. */
export interface StoredHistory {
  syncedAt: string;
  /** Where it was read from (a path or URL per feed). */
  source: string;
  rounds: HistoryRound[];
  anomalies: HistoryAnomaly[];
}

export interface PoolStore {
  /** Runs `work` in one write transaction: everything it wrote is kept, or nothing if it throws. */
  transaction<T>(work: (store: PoolStore) => Promise<T>): Promise<T>;
  insertProfiles(rows: readonly NewProfileRow[]): Promise<void>;
  replaceProfileData(rows: readonly { id: string; profile: Profile }[]): Promise<void>;
  existingProfileIds(ids: readonly string[]): Promise<Set<string>>;
  getProfile(id: string): Promise<StoredProfile | undefined>;
  profilesByIds(ids: readonly string[]): Promise<StoredProfile[]>;
  /** Profiles with any of these statuses (all when empty), in id order, in pages. */
  profilesWithStatus(statuses: readonly ProfileStatus[], pageSize?: number): AsyncIterable<StoredProfile[]>;
  countProfiles(): Promise<number>;
  countByStatus(): Promise<Record<string, number>>;
  /** Profiles with status in-pool, submitted at or before `at` and not expired at `at`. */
  countInPoolAt(at: string): Promise<number>;
  /** Sets the status (a change of revision; ranking rows go; back in the pool means evaluated anew). */
  setStatus(ids: readonly string[], status: ProfileStatus): Promise<void>;
  /** What an evaluation reads of each profile: the stored profile JSON with its revision, status and times. */
  evaluationInputs(ids: readonly string[]): Promise<EvaluationInput[]>;
  /** Ids of profiles with these statuses whose cached evaluation does not hold on `date`. */
  staleProfileIds(date: string, statuses: readonly ProfileStatus[]): Promise<string[]>;
  /** Saves evaluations still current for their revision (and the ranking rows); returns how many were saved. */
  saveEvaluations(rows: readonly EvaluationUpdate[]): Promise<number>;
  /** Ids with `status`, in the pool at `at` by submission and expiry, whose evaluation says in the pool or not. */
  idsByEvaluation(status: ProfileStatus, inPool: boolean, at: string): Promise<string[]>;
  /** Ids with one of `statuses` whose profile has expired by `at`. */
  expiredIds(statuses: readonly ProfileStatus[], at: string): Promise<string[]>;
  /** Profiles in the pool at `at` eligible for `group` ("all": for any program). */
  countEligible(moment: PoolMoment, group: string): Promise<number>;
  /** The eligible group ranked by CRS desc, submission asc, id asc, first `limit`. */
  rankGroup(moment: PoolMoment, group: string, limit: number): Promise<RankedCandidate[]>;
  /** CRS score → number of candidates in the pool (eligible for a program). */
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
  /** Replaces the stored round history with a newly read one (inside the caller's transaction). */
  replaceHistory(history: StoredHistory): Promise<void>;
  /** The round history `ee history sync` stored, or null when none was. */
  storedHistory(): Promise<StoredHistory | null>;
  /** When the stored history was synced (one row read), or null when none was: whether a copy is current. */
  historySyncedAt(): Promise<string | null>;
  /** Sets the hash of the secret that grants a candidate access to one profile (the secret is never stored). */
  setProfileTokenHash(id: string, hash: string): Promise<void>;
  profileTokenHash(id: string): Promise<string | undefined>;
  close(): Promise<void>;
}
