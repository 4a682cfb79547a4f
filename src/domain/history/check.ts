/**
 * "Would I have been invited?": a profile against every published round held while it was in the pool,
 * on the same evaluation path as a round run (roundEvaluationOn: one definition of pool membership,
 * groups and CRS) and the published ranking rule (CRS above the cut-off, or equal and submitted at or
 * before the tie-break instant).
 */
import { dayOf } from "../../calendar/days.js";
import { normalizeInstant, ottawaDate } from "../../calendar/instants.js";
import type { RuleBook } from "../../rules/rule-book.js";
import { englishOf, type Message, type MessageCode, message } from "../eligibility/messages.js";
import { reportOn } from "../eligibility/report.js";
import type { Check } from "../eligibility/types.js";
import { timelineOf } from "../evaluation/timeline.js";
import type { Profile } from "../profile/profile.js";
import { groupKey, groupKeysOf, roundEvaluationOn } from "../rounds/round.js";
import { chronological } from "./analytics.js";
import type { HistoryRound } from "./round-record.js";

/** A miss by this many points or fewer is a near miss. */
export const NEAR_MISS_POINTS = 10;

/** Each verdict's `why` is the English text of its `message`. */
export type RoundVerdict =
  | { outcome: "invited"; crs: number; why: string; message: Message }
  | { outcome: "missed"; crs: number; missing: number; near: boolean; why: string; message: Message }
  | { outcome: "not-in-group"; crs: number | null; why: string; message: Message };

export interface RoundCheck {
  round: string;
  date: string;
  name: string;
  cutoff: number;
  tieBreak: string | null;
  verdict: RoundVerdict;
}

export interface HistoryCheck {
  submittedAt: string;
  /** Rounds held from the profile's submission to the end of its pool validity (or the history's end). */
  considered: number;
  firstInvitation: RoundCheck | null;
  invitations: RoundCheck[];
  nearMisses: RoundCheck[];
  /** Every round considered, oldest first. */
  rounds: RoundCheck[];
}

/** The programs with a sentence of their own ("not eligible for the Canadian Experience Class: …"). */
const NAMED_PROGRAMS = new Set(["CEC", "FSW", "FST"]);

/** Why a profile in the pool is not in a round's group, from the detailed report of that day. */
function notInGroupReason(profile: Profile, round: HistoryRound, book: RuleBook): Message {
  const report = reportOn(timelineOf(profile, book), dayOf(round.date));
  const firstUnmet = (checks: readonly Check[]) => {
    const c = checks.find((x) => !x.met);
    return c
      ? message("history.unmet", { label: c.labelMessage, detail: c.message })
      : message("history.some-unmet");
  };
  if (!report.inPool)
    return message("history.not-in-pool", {
      date: round.date,
      why: report.pool.lapseMessage ?? message("history.no-program-met"),
    });
  switch (round.kind) {
    case "general":
      return message("history.not-ranked");
    case "program": {
      if (round.program === "PNP") return message("history.no-nomination");
      const id = String(round.program);
      const program = report.programs.find((p) => p.program === round.program);
      const why = program ? firstUnmet(program.checks) : message("history.program-not-in-force");
      return NAMED_PROGRAMS.has(id)
        ? message(`history.not-eligible.${id}` as MessageCode, { why })
        : message("history.not-eligible.program", { program: id, why });
    }
    case "category": {
      const category = report.categories.find((c) => c.id === round.categoryVersion);
      return category
        ? message("history.not-eligible.category", {
            title: category.title,
            category: category.category,
            why: firstUnmet(category.checks),
          })
        : message("history.category-not-in-force", {
            version: String(round.categoryVersion),
            date: round.date,
          });
    }
  }
}

/** A verdict's `why` and `message`. */
const because = (m: Message) => ({ why: englishOf(m), message: m });

/**
 * Checks a profile (with its submission time) against the rounds. A round is considered when it was held
 * after the profile's submission and while the profile's 12 months ran; the rounds after a first
 * invitation are still checked (as if it had been declined), so every round that would have invited it
 * shows.
 */
export function checkAgainstHistory(
  profile: Profile & { submittedAt: string },
  rounds: readonly HistoryRound[],
  book: RuleBook,
): HistoryCheck {
  const submittedAt = normalizeInstant(profile.submittedAt);
  const timeline = timelineOf(profile, book);
  const submittedOn = ottawaDate(submittedAt);
  const lastPoolDay = timeline.poolDays?.until;
  const checks: RoundCheck[] = [];
  for (const round of chronological(rounds)) {
    if (round.date < submittedOn) continue;
    if (round.at !== null && round.at < submittedAt) continue;
    if (lastPoolDay !== undefined && dayOf(round.date) > lastPoolDay) break;
    const e = roundEvaluationOn(timeline, dayOf(round.date));
    const inGroup = groupKeysOf(e).includes(groupKey(round));
    let verdict: RoundVerdict;
    if (!inGroup || e.crs === null)
      verdict = {
        outcome: "not-in-group",
        crs: e.crs,
        ...because(e.crs === null ? message("history.no-crs") : notInGroupReason(profile, round, book)),
      };
    else if (e.crs > round.cutoff)
      verdict = {
        outcome: "invited",
        crs: e.crs,
        ...because(message("history.invited.above", { crs: e.crs, cutoff: round.cutoff })),
      };
    else if (e.crs === round.cutoff && round.tieBreak !== null && submittedAt <= round.tieBreak)
      verdict = {
        outcome: "invited",
        crs: e.crs,
        ...because(message("history.invited.tie", { crs: e.crs, tieBreak: round.tieBreak })),
      };
    else {
      const missing = e.crs === round.cutoff ? 0 : round.cutoff - e.crs;
      verdict = {
        outcome: "missed",
        crs: e.crs,
        missing,
        near: missing <= NEAR_MISS_POINTS,
        ...because(
          e.crs === round.cutoff
            ? round.tieBreak === null
              ? message("history.missed.no-tie-break", { crs: e.crs })
              : message("history.missed.after-tie-break", { crs: e.crs, tieBreak: round.tieBreak })
            : message("history.missed.below", { crs: e.crs, missing, cutoff: round.cutoff }),
        ),
      };
    }
    checks.push({
      round: round.number,
      date: round.date,
      name: round.name,
      cutoff: round.cutoff,
      tieBreak: round.tieBreak,
      verdict,
    });
  }
  const invitations = checks.filter((c) => c.verdict.outcome === "invited");
  return {
    submittedAt,
    considered: checks.length,
    firstInvitation: invitations[0] ?? null,
    invitations,
    nearMisses: checks.filter((c) => c.verdict.outcome === "missed" && c.verdict.near),
    rounds: checks,
  };
}
