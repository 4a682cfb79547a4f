/**
 * Pool use cases: import (all or nothing), update, export, evaluation refresh, stats and the
 * time-based sweep. Orchestrates the domain and a PoolStore; no SQL here, no terminal.
 */
import { randomUUID } from "node:crypto";
import { addMonthsToInstant, displayInstant, normalizeInstant } from "../calendar/instants.js";
import type { FieldError } from "../domain/crs/questionnaire.js";
import { validateProfile } from "../domain/eligibility/report.js";
import type { Profile } from "../domain/profile/profile.js";
import { dayOf } from "../calendar/days.js";
import { timelineOf } from "../domain/evaluation/timeline.js";
import {
  type Distribution,
  distribution,
  ottawaDate,
  type RoundEvaluation,
  roundEvaluationOn,
} from "../domain/rounds/round.js";
import type { RuleBook } from "../rules/rule-book.js";
import { ConflictError, NotFoundError } from "./errors.js";
import {
  EVALUATED_STATUSES,
  type EvaluationUpdate,
  type NewProfileRow,
  type PoolMoment,
  type PoolStore,
  type ProfileStatus,
  type StoredProfile,
} from "./ports.js";

export class PoolInputError extends Error {
  constructor(
    /** 1-based line (JSON lines) or array position + 1 (JSON array). */
    readonly line: number,
    readonly errors: FieldError[],
  ) {
    super(`line ${line}: ${errors.map((e) => `${e.field || "(record)"}: ${e.message}`).join("; ")}`);
  }
}

export interface ImportRecord {
  line: number;
  value: unknown;
}

export interface ImportOptions {
  book: RuleBook;
  /** The import instant (UTC); profiles without submittedAt are submitted now. */
  now: string;
  onProgress?: (done: number, total: number) => void;
}

/** When a profile submitted at `submittedAt` leaves the pool, or null before Express Entry began. */
function expiryOf(submittedAt: string, book: RuleBook): string | null {
  const lifecycle = book.poolLifecycleFor(submittedAt.slice(0, 10));
  return lifecycle ? displayInstant(addMonthsToInstant(submittedAt, lifecycle.profileValidityMonths)) : null;
}

/** One record of an import, validated and ready to store; or why it cannot be. */
export type PreparedRow =
  { ok: true; line: number; row: NewProfileRow } | { ok: false; line: number; errors: FieldError[] };

/** Validates one import record and prepares its row (pure; runs in worker threads too). */
export function prepareImportRecord(record: ImportRecord, book: RuleBook, now: string): PreparedRow {
  const outcome = validateProfile(record.value, book);
  if (outcome.status === "invalid") return { ok: false, line: record.line, errors: outcome.errors };
  const profile = outcome.profile;
  const id = profile.id ?? randomUUID();
  const submittedAt = displayInstant(normalizeInstant(profile.submittedAt ?? now));
  const expiresAt = expiryOf(submittedAt, book);
  if (expiresAt === null)
    return {
      ok: false,
      line: record.line,
      errors: [{ field: "submittedAt", message: "is before Express Entry began (2015-01-01)" }],
    };
  return {
    ok: true,
    line: record.line,
    row: {
      id,
      submittedAt,
      expiresAt,
      status: "in-pool",
      data: JSON.stringify({ ...profile, id, submittedAt }),
    },
  };
}

/**
 * Writes prepared batches in one transaction: the first invalid record, or an id that repeats or
 * already exists, aborts with its line and the transaction is rolled back, so nothing is written.
 * Batches may be produced lazily (e.g. by worker threads) while earlier ones are inserted.
 */
export async function importPrepared(
  store: PoolStore,
  batches: AsyncIterable<PreparedRow[]> | Iterable<PreparedRow[]>,
  onProgress?: (done: number) => void,
): Promise<{ imported: number }> {
  const seen = new Map<string, number>();
  return store.transaction(async (tx) => {
    for await (const batch of batches) {
      const rows: NewProfileRow[] = [];
      for (const prepared of batch) {
        if (!prepared.ok) throw new PoolInputError(prepared.line, prepared.errors);
        const earlier = seen.get(prepared.row.id);
        if (earlier !== undefined)
          throw new PoolInputError(prepared.line, [
            { field: "id", message: `${prepared.row.id} repeats line ${earlier}` },
          ]);
        seen.set(prepared.row.id, prepared.line);
        rows.push(prepared.row);
      }
      const existing = await tx.existingProfileIds(rows.map((r) => r.id));
      const clash = rows.find((r) => existing.has(r.id));
      if (clash)
        throw new PoolInputError(seen.get(clash.id) as number, [
          {
            field: "id",
            message: `${clash.id} is already in the pool (use 'ee pool update' to edit a profile)`,
          },
        ]);
      await tx.insertProfiles(rows);
      onProgress?.(seen.size);
    }
    return { imported: seen.size };
  });
}

const IMPORT_BATCH = 5000;

/** Validates and imports on this thread: all or nothing, errors name the record's line. */
export async function importProfiles(
  store: PoolStore,
  records: Iterable<ImportRecord>,
  options: ImportOptions,
): Promise<{ imported: number }> {
  const all = Array.isArray(records) ? (records as ImportRecord[]) : [...records];
  function* batches() {
    for (let i = 0; i < all.length; i += IMPORT_BATCH)
      yield all.slice(i, i + IMPORT_BATCH).map((r) => prepareImportRecord(r, options.book, options.now));
  }
  return importPrepared(store, batches(), (done) => options.onProgress?.(done, all.length));
}

/** Edits existing profiles: the submission time (tie-break) and status never change; evaluations are redone. */
export async function updateProfiles(
  store: PoolStore,
  records: Iterable<ImportRecord>,
  book: RuleBook,
): Promise<{ updated: number }> {
  const rows: { id: string; profile: Profile; line: number }[] = [];
  for (const { line, value } of records) {
    const outcome = validateProfile(value, book);
    if (outcome.status === "invalid") throw new PoolInputError(line, outcome.errors);
    if (!outcome.profile.id)
      throw new PoolInputError(line, [{ field: "id", message: "is required to update a profile" }]);
    rows.push({ id: outcome.profile.id, profile: outcome.profile, line });
  }
  const existing = await store.existingProfileIds(rows.map((r) => r.id));
  const missing = rows.find((r) => !existing.has(r.id));
  if (missing)
    throw new PoolInputError(missing.line, [{ field: "id", message: `${missing.id} is not in the pool` }]);
  await store.transaction(async (tx) => {
    const current = new Map<string, StoredProfile>();
    for (const r of rows) current.set(r.id, (await tx.getProfile(r.id)) as StoredProfile);
    await tx.replaceProfileData(
      rows.map((r) => ({
        id: r.id,
        // The stored submission time wins: editing a profile never changes its tie-break key.
        profile: { ...r.profile, submittedAt: current.get(r.id)?.submittedAt },
      })),
    );
  });
  return { updated: rows.length };
}

/** Profiles in the pool at instant `at`: status in-pool, submitted at or before it, not yet expired. */
export function inPoolAt(p: StoredProfile, at: string): boolean {
  const t = normalizeInstant(at);
  return p.status === "in-pool" && normalizeInstant(p.submittedAt) <= t && normalizeInstant(p.expiresAt) > t;
}

/** The pool at instant `at`, judged on its Ottawa date. */
export function moment(at: string): PoolMoment {
  return { at: normalizeInstant(at), date: ottawaDate(at) };
}

/** Evaluates profiles (their stored JSON) for a date; the default runs here, adapters may use worker threads. */
export type BatchEvaluator = (profiles: readonly string[], date: string) => Promise<RoundEvaluation[]>;

export function evaluateHere(book: RuleBook): BatchEvaluator {
  return async (texts, date) => {
    const day = dayOf(date);
    // A stored profile was validated when it was written: it is read as is, not validated again.
    return texts.map((text) => roundEvaluationOn(timelineOf(JSON.parse(text) as Profile, book), day));
  };
}

/** An evaluator elsewhere (worker threads), for refreshes large enough to pay for starting it. */
export interface RemoteEvaluator {
  evaluate: BatchEvaluator;
  /** Pages to keep in flight. */
  inFlight: number;
  close(): Promise<void>;
}

export interface RefreshOptions {
  /** Offered the number of profiles to evaluate; returns an evaluator to use instead of this thread, or nothing. */
  evaluatorFor?: (count: number) => RemoteEvaluator | undefined;
  onProgress?: (done: number, total: number) => void;
  /** Whose evaluations to keep current (default: the pool and the ineligible). */
  statuses?: readonly ProfileStatus[];
}

const REFRESH_PAGE = 5000;

/**
 * Brings the cached evaluations up to `date`: only profiles whose evaluation does not hold on that date
 * (never evaluated, changed since, lapsed by then, or evaluated for a later date) are evaluated again,
 * a page at a time, each page saved in its own short transaction (an evaluation computed from a
 * revision that has changed meanwhile is dropped and redone next time). Returns how many were saved.
 */
export async function refreshEvaluations(
  store: PoolStore,
  date: string,
  book: RuleBook,
  options: RefreshOptions = {},
): Promise<number> {
  const ids = await store.staleProfileIds(date, options.statuses ?? EVALUATED_STATUSES);
  if (ids.length === 0) return 0;
  const remote = options.evaluatorFor?.(ids.length);
  const evaluate = remote?.evaluate ?? evaluateHere(book);
  const inFlight = Math.max(1, remote?.inFlight ?? 1);
  // Pages are evaluated concurrently (when the evaluator runs elsewhere) and saved in order.
  const queue: Promise<EvaluationUpdate[]>[] = [];
  let saved = 0;
  let done = 0;
  const saveOldest = async () => {
    const updates = await (queue.shift() as Promise<EvaluationUpdate[]>);
    saved += await store.transaction((tx) => tx.saveEvaluations(updates));
    done += updates.length;
    options.onProgress?.(done, ids.length);
  };
  try {
    for (let i = 0; i < ids.length; i += REFRESH_PAGE) {
      const inputs = await store.evaluationInputs(ids.slice(i, i + REFRESH_PAGE));
      const evaluated = evaluate(
        inputs.map((p) => p.data),
        date,
      ).then((evaluations) =>
        inputs.map((p, k) => ({
          id: p.id,
          revision: p.revision,
          status: p.status,
          submittedAt: p.submittedAt,
          expiresAt: p.expiresAt,
          evaluatedOn: date,
          evaluation: evaluations[k] as RoundEvaluation,
        })),
      );
      // Awaited in order by saveOldest; the no-op handler only keeps a failure from being "unhandled" meanwhile.
      evaluated.catch(() => {});
      queue.push(evaluated);
      if (queue.length >= inFlight) await saveOldest();
    }
    while (queue.length > 0) await saveOldest();
  } finally {
    await remote?.close();
  }
  return saved;
}

/**
 * Runs `work` against the pool as it is on `date`: the evaluations are refreshed first (in pages, other
 * writers may interleave), then again inside the write transaction that runs `work`, so what `work`
 * ranks or counts is current and no other writer changes it until `work` commits.
 */
export async function onCurrentPool<T>(
  store: PoolStore,
  date: string,
  book: RuleBook,
  options: RefreshOptions,
  work: (tx: PoolStore) => Promise<T>,
): Promise<T> {
  await refreshEvaluations(store, date, book, options);
  return store.transaction(async (tx) => {
    await refreshEvaluations(tx, date, book, { statuses: options.statuses });
    return work(tx);
  });
}

export interface PoolStats {
  at: string;
  date: string;
  /** Profiles in the pool (submitted, not expired, status in-pool) and eligible for a program on the date. */
  size: number;
  /** In the pool by status but not eligible for any program on the date (e.g. an expired test). */
  notEligible: number;
  distribution: Distribution;
  byStatus: Record<string, number>;
}

export async function poolStats(
  store: PoolStore,
  when: string,
  book: RuleBook,
  options: RefreshOptions = {},
): Promise<PoolStats> {
  const at = normalizeInstant(when);
  const m = moment(at);
  return onCurrentPool(store, m.date, book, options, async (tx) => {
    const histogram = await tx.crsHistogram(m);
    const size = [...histogram.values()].reduce((a, b) => a + b, 0);
    return {
      at: displayInstant(at),
      date: m.date,
      size,
      notEligible: (await tx.countInPoolAt(at)) - size,
      distribution: distribution(histogram, book.poolBands),
      byStatus: await tx.countByStatus(),
    };
  });
}

export interface SweepResult {
  at: string;
  invitationsExpired: number;
  profilesExpired: number;
  becameIneligible: number;
  becameEligible: number;
  /** True when nothing was written (a dry run). */
  dryRun: boolean;
}

export { SWEEP_REACH_DAYS, sweepReachProblem } from "./sweep-reach.js";

/** Thrown inside a transaction to undo it (a dry run), carrying what it computed. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super("rolled back");
  }
}

/**
 * Applies the passage of time up to `at`: unanswered invitations lapse (their profiles leave the
 * pool), profiles a year old expire, and profiles whose tests, ECA or experience no longer qualify
 * become ineligible (and eligible again if they qualify anew). A dry run does all of it in the same
 * transaction and rolls it back, so it reports exactly what the sweep would do and writes nothing (the
 * evaluation cache aside).
 */
export async function sweep(
  store: PoolStore,
  when: string,
  book: RuleBook,
  options: RefreshOptions & { dryRun?: boolean } = {},
): Promise<SweepResult> {
  const at = normalizeInstant(when);
  const date = ottawaDate(at);
  const statuses: ProfileStatus[] = ["in-pool", "ineligible"];
  const run = () =>
    onCurrentPool(store, date, book, { ...options, statuses }, async (tx) => {
      const lapsed = await tx.lapsedInvitations(at);
      for (const inv of lapsed) await tx.respondToInvitation(inv.id, "expired", inv.expiresAt);
      await tx.setStatus(
        lapsed.map((i) => i.profileId),
        "expired",
      );
      const expired = await tx.expiredIds(statuses, at);
      await tx.setStatus(expired, "expired");
      const toIneligible = await tx.idsByEvaluation("in-pool", false, at);
      const toEligible = await tx.idsByEvaluation("ineligible", true, at);
      await tx.setStatus(toIneligible, "ineligible");
      await tx.setStatus(toEligible, "in-pool");
      const result: SweepResult = {
        at: displayInstant(at),
        invitationsExpired: lapsed.length,
        profilesExpired: expired.length,
        becameIneligible: toIneligible.length,
        becameEligible: toEligible.length,
        dryRun: options.dryRun === true,
      };
      if (options.dryRun) throw new Rollback(result);
      return result;
    });
  try {
    return await run();
  } catch (error) {
    if (error instanceof Rollback) return error.value as SweepResult;
    throw error;
  }
}

/** A candidate withdraws a profile: it leaves the pool for good (a new profile gets a new submission time). */
export async function withdrawProfile(store: PoolStore, id: string): Promise<void> {
  // Read and write in one transaction: no other writer changes the profile in between.
  await store.transaction(async (tx) => {
    const current = await tx.getProfile(id);
    if (!current) throw new NotFoundError(`no profile ${id} in the pool`);
    if (current.status === "withdrawn") throw new ConflictError(`profile ${id} is already withdrawn`);
    await tx.setStatus([id], "withdrawn");
  });
}

export type { StoredProfile };
