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
import { message } from "./messages.js";
import { type CategoryResult, type Check, checkOf } from "./types.js";

export type CategoryEntry = RulePeriod["categories"][number];
export type CategoryVerdict = Omit<CategoryResult, "eligibleUntil" | "lapseReason" | "lapseMessage">;

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
  return checkOf(
    "pool",
    pool.met,
    message("pool.label"),
    pool.met
      ? message("pool.eligible-for", { programs: pool.programs.join(", ") })
      : !pool.withinProfileValidity
        ? message("pool.outside-validity")
        : message("pool.no-program"),
  );
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
      checkOf(
        "french",
        met,
        message("category.french.label", { required: req.minNclcAllAbilities }),
        best
          ? message("category.french.result", {
              test: best.rules.name,
              date: best.input.date,
              nclc: best.minClb,
            })
          : any
            ? message("category.french.unusable")
            : message("category.french.none"),
      ),
    ];
    return { ...no, eligible: pool.met && met, checks };
  }

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
        checkOf(
          "experience",
          false,
          message("category.rule.label"),
          message("category.rule.none", { date: v.iso }),
        ),
      ],
    };
  let best: { noc: string; units: number } | null = null;
  for (const u of units) {
    const n = v.units(u.work, rule.windowYears);
    if (n > 0 && (best === null || n > best.units)) best = { noc: u.noc, units: n };
  }
  const since = isoOf(addYearsToDay(v.day, -rule.windowYears) + 1);
  const bestUnit = best ? t.book.noc(best.noc) : undefined;
  const checks: Check[] = [
    poolCheck(pool),
    checkOf(
      "experience",
      met,
      message(
        req.inCanada
          ? rule.continuous
            ? "category.experience.label.canada-continuous"
            : "category.experience.label.canada"
          : rule.continuous
            ? "category.experience.label.anywhere-continuous"
            : "category.experience.label.anywhere",
        { months: rule.months, windowYears: rule.windowYears },
      ),
      best
        ? message(rule.continuous ? "category.experience.best.continuous" : "category.experience.best", {
            hours: unitsToHours(best.units),
            noc: best.noc,
            title: String(bestUnit?.titleEn),
            titleFr: String(bestUnit?.titleFr),
            since,
            needed,
          })
        : message(req.inCanada ? "category.experience.none.canada" : "category.experience.none.anywhere", {
            count: req.nocs.length,
            since,
          }),
    ),
  ];
  const eligible = pool.met && met;
  return {
    ...no,
    eligible,
    checks,
    qualifyingOccupation:
      eligible && best
        ? {
            noc: best.noc,
            title: bestUnit?.titleEn ?? "",
            titleFr: bestUnit?.titleFr ?? "",
            hours: unitsToHours(best.units),
          }
        : null,
  };
}
