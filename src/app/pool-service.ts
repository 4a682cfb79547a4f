/**
 * Pool use cases: import (all or nothing), update, export, evaluation refresh, stats and the
 * time-based sweep. Orchestrates the domain and a PoolStore; no SQL here, no terminal.
 */
import { randomUUID } from "node:crypto";
import { addMonthsToInstant, displayInstant, normalizeInstant } from "../calendar/instants.js";
import type { FieldError } from "../domain/crs/questionnaire.js";
import { validateProfile } from "../domain/eligibility/report.js";
import type { Profile } from "../domain/profile/profile.js";
import {
  type Distribution,
  distribution,
  evaluateForRound,
  ottawaDate,
  type RoundEvaluation,
} from "../domain/rounds/round.js";
import type { RuleBook } from "../rules/rule-book.js";
import { NotFoundError } from "./errors.js";
import type {
  EvaluationUpdate,
  NewProfileRow,
  PoolMoment,
  PoolStore,
  ProfileStatus,
  StoredProfile,
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

/**
 * Brings the evaluation cache up to the moment's date: every profile in the pool at `at` that was not
 * yet evaluated for that date is evaluated (CRS and group memberships) and saved, page by page.
 */
/** Evaluates a page of profiles for a date; the default runs here, adapters may use worker threads. */
export type BatchEvaluator = (profiles: readonly Profile[], date: string) => Promise<RoundEvaluation[]>;

export function evaluateHere(book: RuleBook): BatchEvaluator {
  return async (profiles, date) => profiles.map((p) => evaluateForRound(p, date, book));
}

export async function refreshEvaluations(
  store: PoolStore,
  m: PoolMoment,
  book: RuleBook,
  onProgress?: (done: number) => void,
  options: { evaluate?: BatchEvaluator; inFlight?: number } = {},
): Promise<number> {
  const evaluate = options.evaluate ?? evaluateHere(book);
  const inFlight = Math.max(1, options.inFlight ?? 1);
  // Pages are evaluated concurrently (when the evaluator runs elsewhere) and saved in order.
  const queue: Promise<EvaluationUpdate[]>[] = [];
  let done = 0;
  const saveOldest = async () => {
    const updates = await (queue.shift() as Promise<EvaluationUpdate[]>);
    await store.transaction((tx) => tx.saveEvaluations(updates));
    done += updates.length;
    onProgress?.(done);
  };
  for await (const page of store.staleProfiles(m)) {
    const evaluated = evaluate(
      page.map((p) => p.profile),
      m.date,
    ).then((evaluations) =>
      page.map((p, i) => ({ id: p.id, evaluatedOn: m.date, evaluation: evaluations[i] as RoundEvaluation })),
    );
    // Awaited in order by saveOldest; the no-op handler only keeps a failure from being "unhandled" meanwhile.
    evaluated.catch(() => {});
    queue.push(evaluated);
    if (queue.length >= inFlight) await saveOldest();
  }
  while (queue.length > 0) await saveOldest();
  return done;
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
  evaluator?: { evaluate: BatchEvaluator; inFlight: number },
): Promise<PoolStats> {
  const at = normalizeInstant(when);
  const m = moment(at);
  await refreshEvaluations(store, m, book, undefined, evaluator);
  const histogram = await store.crsHistogram(m);
  const size = [...histogram.values()].reduce((a, b) => a + b, 0);
  const byStatus: Record<string, number> = {};
  for await (const page of store.profilesWithStatus([]))
    for (const p of page) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  let inPoolByStatus = 0;
  for await (const page of store.profilesWithStatus(["in-pool"]))
    for (const p of page) if (inPoolAt(p, at)) inPoolByStatus++;
  return {
    at: displayInstant(at),
    date: m.date,
    size,
    notEligible: inPoolByStatus - size,
    distribution: distribution(histogram, book.poolBands),
    byStatus,
  };
}

export interface SweepResult {
  at: string;
  invitationsExpired: number;
  profilesExpired: number;
  becameIneligible: number;
  becameEligible: number;
}

/** Carries a dry run's result out of the transaction it rolls back. */
class RollBack extends Error {
  constructor(readonly result: SweepResult) {
    super("dry run: rolled back");
  }
}

/**
 * Applies the passage of time up to `at`: unanswered invitations lapse (their profiles leave the
 * pool), profiles a year old expire, and profiles whose tests, ECA or experience no longer qualify
 * become ineligible (and eligible again if they qualify anew). A dry run does all of it in the same
 * transaction and rolls it back, so it reports exactly what the sweep would do and writes nothing.
 */
export async function sweep(
  store: PoolStore,
  when: string,
  book: RuleBook,
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<SweepResult> {
  const at = normalizeInstant(when);
  const swept = store.transaction(async (tx) => {
    const lapsed = await tx.lapsedInvitations(at);
    for (const inv of lapsed) await tx.respondToInvitation(inv.id, "expired", inv.expiresAt);
    await tx.setStatus(
      lapsed.map((i) => i.profileId),
      "expired",
    );
    const date = ottawaDate(at);
    const expired: string[] = [];
    const toIneligible: string[] = [];
    const toEligible: string[] = [];
    const statuses: ProfileStatus[] = ["in-pool", "ineligible"];
    for await (const page of tx.profilesWithStatus(statuses)) {
      const updates: EvaluationUpdate[] = [];
      for (const p of page) {
        if (normalizeInstant(p.expiresAt) <= at) {
          expired.push(p.id);
          continue;
        }
        if (normalizeInstant(p.submittedAt) > at) continue;
        const evaluation =
          p.evaluatedOn === date && p.evaluation ? p.evaluation : evaluateForRound(p.profile, date, book);
        if (p.evaluatedOn !== date) updates.push({ id: p.id, evaluatedOn: date, evaluation });
        if (p.status === "in-pool" && !evaluation.inPool) toIneligible.push(p.id);
        if (p.status === "ineligible" && evaluation.inPool) toEligible.push(p.id);
      }
      await tx.saveEvaluations(updates);
    }
    await tx.setStatus(expired, "expired");
    await tx.setStatus(toIneligible, "ineligible");
    await tx.setStatus(toEligible, "in-pool");
    const result = {
      at: displayInstant(at),
      invitationsExpired: lapsed.length,
      profilesExpired: expired.length,
      becameIneligible: toIneligible.length,
      becameEligible: toEligible.length,
    };
    if (dryRun) throw new RollBack(result);
    return result;
  });
  return swept.catch((error: unknown) => {
    if (error instanceof RollBack) return error.result;
    throw error;
  });
}

/** A candidate withdraws a profile: it leaves the pool for good (a new profile gets a new submission time). */
export async function withdrawProfile(store: PoolStore, id: string): Promise<void> {
  const p = await store.getProfile(id);
  if (!p) throw new NotFoundError(`no profile ${id} in the pool`);
  await store.setStatus([id], "withdrawn");
}

export type { StoredProfile };
