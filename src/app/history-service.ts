/**
 * Round history use cases over the store: keep a newly read history (all or nothing). Reading the feeds
 * is the import adapter's (adapters/import/ircc-rounds-feed.ts).
 */
import { normalizeInstant } from "../calendar/instants.js";
import type { FieldError } from "../domain/crs/questionnaire.js";
import { validateProfile } from "../domain/eligibility/report.js";
import { checkAgainstHistory, type HistoryCheck } from "../domain/history/check.js";
import type { HistoryAnomaly, HistoryRound } from "../domain/history/round-record.js";
import type { RuleBook } from "../rules/index.js";
import type { PoolStore, StoredHistory } from "./ports.js";

export interface SyncResult {
  rounds: number;
  anomalies: HistoryAnomaly[];
  newest: HistoryRound | undefined;
  /** Rounds added, or changed, since the history the store held before. */
  added: string[];
  changed: string[];
}

/** Stores a newly read history in place of the old one, in one transaction, and says what changed. */
export async function syncHistory(store: PoolStore, history: StoredHistory): Promise<SyncResult> {
  return store.transaction(async (tx) => {
    const before = new Map((await tx.storedHistory())?.rounds.map((r) => [r.number, JSON.stringify(r)]));
    await tx.replaceHistory(history);
    return {
      rounds: history.rounds.length,
      anomalies: history.anomalies,
      newest: history.rounds.at(-1),
      added: history.rounds.filter((r) => !before.has(r.number)).map((r) => r.number),
      changed: history.rounds
        .filter((r) => before.has(r.number) && before.get(r.number) !== JSON.stringify(r))
        .map((r) => r.number),
    };
  });
}

/** The history a command reads, and where it came from. */
export interface HistoryInUse extends Omit<StoredHistory, "syncedAt"> {
  syncedAt: string | null;
  /** "store" after `ee history sync`; "shipped" otherwise. */
  origin: "store" | "shipped";
}

export type HistoryCheckOutcome =
  { status: "ok"; result: HistoryCheck } | { status: "invalid"; errors: FieldError[] };

/**
 * "Would I have been invited?" for an input profile (`ee history check`, `POST /api/history/check`):
 * validated, and with the submission instant its tie-break needs (given, or the profile's own).
 */
export function checkProfile(
  input: unknown,
  rounds: readonly HistoryRound[],
  book: RuleBook,
  { submittedAt }: { submittedAt?: string } = {},
): HistoryCheckOutcome {
  const raw =
    input && typeof input === "object" && !Array.isArray(input)
      ? { ...(input as Record<string, unknown>), ...(submittedAt === undefined ? {} : { submittedAt }) }
      : input;
  const validated = validateProfile(raw, book);
  if (validated.status === "invalid") return validated;
  const profile = validated.profile;
  if (!profile.submittedAt)
    return {
      status: "invalid",
      errors: [{ field: "submittedAt", message: "is required to check against history" }],
    };
  return {
    status: "ok",
    result: checkAgainstHistory(
      { ...profile, submittedAt: normalizeInstant(profile.submittedAt) },
      rounds,
      book,
    ),
  };
}

/**
 * The history a long-running reader (the API) answers from: the store's synced history, else
 * `fallback` (the shipped table). The rounds are read and parsed again only when a sync has changed
 * them; each call costs one row read.
 */
export function historyReader(store: PoolStore, fallback: () => HistoryInUse): () => Promise<HistoryInUse> {
  let cached: HistoryInUse | null = null;
  return async () => {
    const syncedAt = await store.historySyncedAt();
    if (syncedAt === null) return (cached = cached?.origin === "shipped" ? cached : fallback());
    if (cached?.origin === "store" && cached.syncedAt === syncedAt) return cached;
    const stored = await store.storedHistory();
    cached = stored ? { ...stored, origin: "store" } : fallback();
    return cached;
  };
}
