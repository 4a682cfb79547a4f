/**
 * Running a round of invitations against the stored pool, atomically, and answering invitations.
 */
import { addHoursToInstant, displayInstant, normalizeInstant } from "../calendar/instants.js";
import type { FieldError } from "../domain/crs/questionnaire.js";
import { zodIssuesToFieldErrors } from "../domain/crs/questionnaire.js";
import {
  ALL_GROUP,
  type Distribution,
  distribution,
  groupKey,
  ottawaDate,
  type RankedCandidate,
  type Round,
  rankRound,
  resolveRound,
  roundSchema,
} from "../domain/rounds/round.js";
import type { RuleBook } from "../rules/rule-book.js";
import type { PoolLifecycle } from "../rules/schema.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { moment, onCurrentPool, type RefreshOptions } from "./pool-service.js";
import type { PoolStore, StoredInvitation, StoredRound } from "./ports.js";

export class RoundInputError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("; "));
  }
}

export { ConflictError, NotFoundError };

/** The result as IRCC publishes it, plus what a simulation adds (eligible count, shortfall, invitees). */
export interface PublishedRound {
  number: number;
  name: string;
  kind: Round["kind"];
  program: string | null;
  categoryVersion: string | null;
  invitationsRequested: number;
  /** Number of invitations issued. */
  invitations: number;
  /** "Rank required to be invited to apply". */
  rankRequired: string | null;
  /** Date and time of the round (UTC). */
  at: string;
  /** The Ottawa date on which eligibility and CRS were evaluated. */
  asOfDate: string;
  /** CRS score of the lowest-ranked candidate invited. */
  cutoffCrs: number | null;
  /** Tie-breaking rule: at the cut-off score, only profiles submitted at or before this instant were invited. */
  tieBreak: string | null;
  eligible: number;
  shortfall: number;
  distribution: Distribution;
  dryRun: boolean;
  invited: (RankedCandidate & { rank: number })[];
}

function toPublished(r: StoredRound, invited: PublishedRound["invited"], dryRun: boolean): PublishedRound {
  return {
    number: r.number,
    name: r.name,
    kind: r.kind,
    program: r.program,
    categoryVersion: r.categoryVersion,
    invitationsRequested: r.invitationsRequested,
    invitations: r.invited,
    rankRequired: r.invited > 0 ? `${r.invited.toLocaleString("en-CA")} or above` : null,
    at: displayInstant(r.at),
    asOfDate: r.asOfDate,
    cutoffCrs: r.cutoffCrs,
    tieBreak: r.tieBreak === null ? null : displayInstant(r.tieBreak),
    eligible: r.eligible,
    shortfall: Math.max(0, r.invitationsRequested - r.eligible),
    distribution: r.distribution,
    dryRun,
    invited: invited.map((c) => ({ ...c, submittedAt: c.submittedAt && displayInstant(c.submittedAt) })),
  };
}

export function parseRound(input: unknown, book: RuleBook): Round {
  const parsed = roundSchema.safeParse(input);
  if (!parsed.success) throw new RoundInputError(zodIssuesToFieldErrors(parsed.error.issues));
  const resolved = resolveRound(parsed.data, book);
  if ("error" in resolved) throw new RoundInputError([resolved.error]);
  if (!book.poolLifecycleFor(ottawaDate(resolved.round.at)))
    throw new RoundInputError([{ field: "at", message: "is before Express Entry began (2015-01-01)" }]);
  return resolved.round;
}

/**
 * Ranks the group eligible on the round's date among profiles in the pool at the round's instant,
 * invites the first N, and (unless a dry run) stores the round, the invitations and the invitees'
 * status. Ranking and writing happen in one write transaction: a round started at the same moment by
 * another process runs before or after this one, against the state it left (no one is invited twice),
 * or gives up after the store's busy timeout; a repeated round number is refused.
 */
export async function runRound(
  store: PoolStore,
  input: unknown,
  options: RefreshOptions & {
    book: RuleBook;
    dryRun?: boolean;
    /** Testing aid: hold the transaction this long between ranking and writing (widens any race). */
    pauseBeforeWriteMs?: number;
  },
): Promise<PublishedRound> {
  const round = parseRound(input, options.book);
  const refused = () => new ConflictError(`round ${round.number} has already been run; a round runs once`);
  if (!options.dryRun && (await store.getRound(round.number))) throw refused();
  const m = moment(round.at);
  const book = options.book;
  return onCurrentPool(store, m.date, book, { ...options, statuses: ["in-pool"] }, async (tx) => {
    if (!options.dryRun && (await tx.getRound(round.number))) throw refused();
    const group = groupKey(round);
    const histogram = await tx.crsHistogram(m);
    // The pool's histogram counts the "all" group already: a general round need not count it again
    // (at millions of profiles each is a scan of the whole pool's ranking rows).
    const eligible =
      group === ALL_GROUP
        ? [...histogram.values()].reduce((a, b) => a + b, 0)
        : await tx.countEligible(m, group);
    // The store returns the group already ranked; rankRound re-applies the same order (a no-op here)
    // and computes the published figures, so the rule lives in one place.
    const outcome = rankRound(await tx.rankGroup(m, group, round.invitations), round.invitations);
    const stored: StoredRound = {
      number: round.number,
      name: round.name,
      kind: round.kind,
      program: round.program ?? null,
      categoryVersion: round.categoryVersion ?? null,
      invitationsRequested: round.invitations,
      at: round.at,
      asOfDate: m.date,
      invited: outcome.invited.length,
      eligible,
      cutoffCrs: outcome.cutoffCrs,
      tieBreak: outcome.tieBreak,
      distribution: distribution(histogram, book.poolBands),
      createdAt: new Date().toISOString(),
    };
    const invited = outcome.invited.map((c, i) => ({ ...c, rank: i + 1 }));
    if (options.pauseBeforeWriteMs)
      await new Promise((resolve) => setTimeout(resolve, options.pauseBeforeWriteMs));
    if (!options.dryRun) {
      const days = (book.poolLifecycleFor(m.date) as PoolLifecycle).invitationValidityDays;
      const expiresAt = addHoursToInstant(round.at, 24 * days);
      await tx.insertRound(stored);
      await tx.insertInvitations(
        invited.map((c) => ({
          roundNumber: round.number,
          profileId: c.id,
          rank: c.rank,
          crs: c.crs,
          issuedAt: round.at,
          expiresAt,
          status: "issued" as const,
          respondedAt: null,
        })),
      );
      await tx.setStatus(
        invited.map((c) => c.id),
        "invited",
      );
    }
    return toPublished(stored, invited, options.dryRun ?? false);
  });
}

export async function showRound(store: PoolStore, number: number): Promise<PublishedRound> {
  const r = await store.getRound(number);
  if (!r) throw new NotFoundError(`no round ${number}`);
  const invitations = await store.invitationsOfRound(number);
  // The submission instants (the tie-break key) are the profiles': editing a profile never changes them.
  const submitted = new Map(
    (await store.profilesByIds(invitations.map((i) => i.profileId))).map((p) => [p.id, p.submittedAt]),
  );
  return toPublished(
    r,
    invitations.map((i) => ({
      id: i.profileId,
      crs: i.crs,
      submittedAt: submitted.get(i.profileId) ?? "",
      rank: i.rank,
    })),
    false,
  );
}

/** Accepts (applies) or declines an invitation at instant `at`. */
export async function respond(
  store: PoolStore,
  invitationId: number,
  answer: "accept" | "decline",
  when: string,
): Promise<{ invitation: StoredInvitation; profileStatus: string }> {
  const at = normalizeInstant(when);
  return store.transaction(async (tx) => {
    const inv = await tx.getInvitation(invitationId);
    if (!inv) throw new NotFoundError(`no invitation ${invitationId}`);
    if (inv.status !== "issued")
      throw new ConflictError(`invitation ${invitationId} is already ${inv.status}`);
    if (at >= normalizeInstant(inv.expiresAt))
      throw new ConflictError(`invitation ${invitationId} lapsed at ${inv.expiresAt}`);
    if (at < normalizeInstant(inv.issuedAt))
      throw new ConflictError(
        `invitation ${invitationId} was issued at ${inv.issuedAt}, after ${displayInstant(at)}`,
      );
    const profile = await tx.getProfile(inv.profileId);
    if (profile?.status !== "invited")
      throw new ConflictError(
        `profile ${inv.profileId} is ${profile?.status ?? "gone"}; only an invited profile can answer`,
      );
    let profileStatus: string;
    if (answer === "accept") {
      await tx.respondToInvitation(inv.id, "accepted", at);
      profileStatus = "applied";
    } else {
      await tx.respondToInvitation(inv.id, "declined", at);
      // A declined invitation returns the candidate to the pool while the profile is still valid.
      profileStatus = profile && normalizeInstant(profile.expiresAt) > at ? "in-pool" : "declined";
    }
    await tx.setStatus([inv.profileId], profileStatus as "in-pool");
    return {
      invitation: {
        ...inv,
        status: answer === "accept" ? "accepted" : "declined",
        respondedAt: displayInstant(at),
      },
      profileStatus,
    };
  });
}
