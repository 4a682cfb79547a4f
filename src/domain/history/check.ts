/**
 * "Would I have been invited?": a profile against every published round held while it was in the pool,
 * on the same evaluation path as a round run (roundEvaluationOn: one definition of pool membership,
 * groups and CRS) and the published ranking rule (CRS above the cut-off, or equal and submitted at or
 * before the tie-break instant).
 */
import { dayOf } from "../../calendar/days.js";
import { normalizeInstant, ottawaDate } from "../../calendar/instants.js";
import type { RuleBook } from "../../rules/rule-book.js";
import { reportOn } from "../eligibility/report.js";
import { timelineOf } from "../evaluation/timeline.js";
import type { Profile } from "../profile/profile.js";
import { groupKey, groupKeysOf, roundEvaluationOn } from "../rounds/round.js";
import { chronological } from "./analytics.js";
import type { HistoryRound } from "./round-record.js";

/** A miss by this many points or fewer is a near miss. */
export const NEAR_MISS_POINTS = 10;

export type RoundVerdict =
  | { outcome: "invited"; crs: number; why: string }
  | { outcome: "missed"; crs: number; missing: number; near: boolean; why: string }
  | { outcome: "not-in-group"; crs: number | null; why: string };

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

const PROGRAM_NAMES: Record<string, string> = {
  CEC: "the Canadian Experience Class",
  FSW: "the Federal Skilled Worker Program",
  FST: "the Federal Skilled Trades Program",
};

/** Why a profile in the pool is not in a round's group, from the detailed report of that day. */
function notInGroupReason(profile: Profile, round: HistoryRound, book: RuleBook): string {
  const report = reportOn(timelineOf(profile, book), dayOf(round.date));
  const firstUnmet = (checks: { met: boolean; label: string; detail: string }[]) => {
    const c = checks.find((x) => !x.met);
    return c ? `${c.label}: ${c.detail}` : "a requirement is not met";
  };
  if (!report.inPool)
    return `not in the pool on ${round.date}: ${report.pool.lapseReason ?? "no program met"}`;
  switch (round.kind) {
    case "general":
      return "in the pool but not ranked";
    case "program": {
      if (round.program === "PNP") return "no provincial nomination";
      const program = report.programs.find((p) => p.program === round.program);
      return `not eligible for ${PROGRAM_NAMES[round.program as string] ?? round.program}: ${program ? firstUnmet(program.checks) : "not in force"}`;
    }
    case "category": {
      const category = report.categories.find((c) => c.id === round.categoryVersion);
      return category
        ? `not eligible for ${category.title}: ${firstUnmet(category.checks)}`
        : `category version ${round.categoryVersion} not in force on ${round.date}`;
    }
  }
}

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
        why:
          e.crs === null
            ? "no CRS on the round's date (no valid first-language result)"
            : notInGroupReason(profile, round, book),
      };
    else if (e.crs > round.cutoff)
      verdict = { outcome: "invited", crs: e.crs, why: `CRS ${e.crs} above the cut-off ${round.cutoff}` };
    else if (e.crs === round.cutoff && round.tieBreak !== null && submittedAt <= round.tieBreak)
      verdict = {
        outcome: "invited",
        crs: e.crs,
        why: `CRS ${e.crs} equal to the cut-off, submitted before the tie-break ${round.tieBreak}`,
      };
    else {
      const missing = e.crs === round.cutoff ? 0 : round.cutoff - e.crs;
      verdict = {
        outcome: "missed",
        crs: e.crs,
        missing,
        near: missing <= NEAR_MISS_POINTS,
        why:
          e.crs === round.cutoff
            ? round.tieBreak === null
              ? `CRS ${e.crs} equal to the cut-off; no tie-break was published, so not counted as invited`
              : `CRS ${e.crs} equal to the cut-off, but submitted after the tie-break ${round.tieBreak}`
            : `CRS ${e.crs}, ${missing} below the cut-off ${round.cutoff}`,
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
