/**
 * Category-based selection: for a category version in force on a day, is the candidate eligible, and
 * through which occupation. Read through a DayView like the programs; without `detail` a verdict stops
 * at the first unmet requirement and builds no text.
 */
import type { RulePeriod } from "../../rules/rule-book.js";
import { addYearsToDay, isoOf } from "../../calendar/days.js";
import type { DayView } from "../evaluation/day-view.js";
import { type Cumulative, hoursToUnits, unitsToHours } from "../work.js";
import { occupationUnits, type TestOnFile } from "../evaluation/timeline.js";
import { hoursText } from "../format.js";
import type { CategoryResult, Check } from "./types.js";

export type CategoryEntry = RulePeriod["categories"][number];
export type CategoryVerdict = Omit<CategoryResult, "eligibleUntil" | "lapseReason">;

/** Pool membership on the day, as the categories read it. */
export interface PoolVerdict {
  met: boolean;
  /** Eligible programs (known with detail, or when evaluated in full). */
  programs: string[];
  withinProfileValidity: boolean;
}

/** 130 hours make a month of full-time work (1,560 / 12). */
const HOURS_PER_MONTH = 1560 / 12;

const nocSets = new WeakMap<readonly string[], ReadonlySet<string>>();
/** The NOC list as a set, built once per category version (this runs for every profile of a pool). */
function nocSet(nocs: readonly string[]): ReadonlySet<string> {
  let set = nocSets.get(nocs);
  if (!set) nocSets.set(nocs, (set = new Set(nocs)));
  return set;
}

function poolCheck(pool: PoolVerdict): Check {
  return {
    id: "pool",
    label: "Eligible for FSW, CEC or FST (in the pool)",
    met: pool.met,
    detail: pool.met
      ? `eligible for ${pool.programs.join(", ")}`
      : !pool.withinProfileValidity
        ? "the profile is not in the pool on this date (not yet submitted, or its 12 months have passed)"
        : "not eligible for any Express Entry program",
  };
}

/** Verdicts without text, one pair per version: the round path decides a million of them. */
const bare = new WeakMap<CategoryEntry["version"], [CategoryVerdict, CategoryVerdict]>();
function bareVerdict(version: CategoryEntry["version"], eligible: boolean): CategoryVerdict {
  let pair = bare.get(version);
  if (!pair) {
    const base = {
      id: version.id,
      category: version.category,
      title: version.title,
      roundName: version.roundName,
      inForce: { from: version.effectiveFrom, to: version.effectiveTo },
      rules: { id: version.id, source: version.source },
      checks: [],
      qualifyingOccupation: null,
      unverifiedConditions:
        version.requirement.kind === "occupation" ? version.requirement.unverifiedConditions : [],
    };
    pair = [Object.freeze({ ...base, eligible: false }), Object.freeze({ ...base, eligible: true })];
    bare.set(version, pair);
  }
  return pair[eligible ? 1 : 0];
}

export function categoryOn(v: DayView, entry: CategoryEntry, pool: PoolVerdict): CategoryVerdict {
  const { version, experience: rule } = entry;
  if (!pool.met && !v.detail) return bareVerdict(version, false);
  const t = v.t;
  const req = version.requirement;
  const no = bareVerdict(version, false);

  if (req.kind === "french-language") {
    let best: TestOnFile | null = null;
    let any = false;
    for (const test of t.principal.tests)
      if (test.language === "french") {
        any = true;
        if (v.testValid(test) && (best === null || test.minClb > best.minClb)) best = test;
      }
    const met = best !== null && best.minClb >= req.minNclcAllAbilities;
    if (!v.detail) return bareVerdict(version, pool.met && met);
    const checks: Check[] = [
      poolCheck(pool),
      {
        id: "french",
        label: `French NCLC ${req.minNclcAllAbilities} in all four abilities`,
        met,
        detail: best
          ? `${best.rules.name} of ${best.input.date}: lowest ability NCLC ${best.minClb}`
          : any
            ? "the French test result cannot be used on this date"
            : "no French test",
      },
    ];
    return { ...no, eligible: pool.met && met, checks };
  }

  const where = req.inCanada ? "in Canada" : "in Canada or abroad";
  const c = req.inCanada ? "canadian" : "skilled";
  const listed = nocSet(req.nocs);
  const needed = rule ? rule.months * HOURS_PER_MONTH : 0;
  // Only the candidate's own occupations on the list can qualify.
  const units: { noc: string; work: Cumulative }[] = [];
  let met = false;
  if (rule) {
    const threshold = hoursToUnits(needed);
    for (const noc of t.nocs) {
      if (!listed.has(noc)) continue;
      const list = occupationUnits(t, c, noc, rule.continuous);
      for (const work of list) {
        if (v.workMet(work, rule.windowYears, threshold)) met = true;
        if (v.detail) units.push({ noc, work });
        else if (met) break;
      }
      if (met && !v.detail) break;
    }
  }
  if (!v.detail) return bareVerdict(version, pool.met && met);
  if (!rule)
    return {
      ...no,
      checks: [
        poolCheck(pool),
        {
          id: "experience",
          label: "Experience rule in force",
          met: false,
          detail: `no category experience rule on ${v.iso}`,
        },
      ],
    };
  let best: { noc: string; units: number } | null = null;
  for (const u of units) {
    const n = v.units(u.work, rule.windowYears);
    if (n > 0 && (best === null || n > best.units)) best = { noc: u.noc, units: n };
  }
  const since = isoOf(addYearsToDay(v.day, -rule.windowYears) + 1);
  const kind = rule.continuous ? " continuous" : "";
  const checks: Check[] = [
    poolCheck(pool),
    {
      id: "experience",
      label: `${rule.months} months${kind} in one listed occupation ${where} within ${rule.windowYears} years`,
      met,
      detail: best
        ? `${hoursText(unitsToHours(best.units))}${kind} in NOC ${best.noc} (${t.book.noc(best.noc)?.titleEn}) since ${since}; needs ${hoursText(needed)}`
        : `no paid work ${where} in a listed occupation (${req.nocs.length} NOC codes) since ${since}`,
    },
  ];
  const eligible = pool.met && met;
  return {
    ...no,
    eligible,
    checks,
    qualifyingOccupation:
      eligible && best
        ? { noc: best.noc, title: t.book.noc(best.noc)?.titleEn ?? "", hours: unitsToHours(best.units) }
        : null,
  };
}
