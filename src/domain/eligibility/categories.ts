/**
 * Category-based selection: for each category version in force, is the candidate eligible, through
 * which occupation, and until when if nothing changes.
 */
import { hoursText } from "../format.js";
import type { RuleBook } from "../../rules/rule-book.js";
import type { CategoryExperienceRule, CategoryVersion } from "../../rules/schema.js";
import { inForce } from "../../rules/rule-book.js";
import { isoFromEpochDay } from "../../calendar/dates.js";
import { minClb } from "../language.js";
import { convertLanguageResult } from "../language.js";
import type { Derivation } from "../profile/derive.js";
import { workClassifier } from "../profile/derive.js";
import type { Profile } from "../profile/profile.js";
import {
  continuousHoursByNoc,
  HOURS_PER_YEAR,
  hoursByNoc,
  lastQualifyingDay,
  spans,
  windowBefore,
} from "../work.js";
import { byNoc, continuousStretches, earliest, FAR_FUTURE } from "./programs.js";
import type { CategoryResult, Check } from "./types.js";

const HOURS_PER_MONTH = HOURS_PER_YEAR / 12;

const nocSets = new WeakMap<readonly string[], ReadonlySet<string>>();
/** The NOC list as a set, built once per category version (this runs for every profile of a pool). */
function nocSet(nocs: readonly string[]): ReadonlySet<string> {
  let set = nocSets.get(nocs);
  if (!set) nocSets.set(nocs, (set = new Set(nocs)));
  return set;
}

type ExperienceRule = Omit<CategoryExperienceRule, "source">;

export function experienceRuleFor(
  version: CategoryVersion,
  asOf: string,
  book: RuleBook,
): ExperienceRule | undefined {
  if (version.requirement.kind !== "occupation") return undefined;
  return version.requirement.experience
    ? inForce(version.requirement.experience, asOf)
    : book.categoryExperienceFor(asOf);
}

export function categoryEligibility(
  version: CategoryVersion,
  profile: Profile,
  d: Derivation,
  inPool: { met: boolean; programs: string[]; until: string | null; reason: string },
  asOf: string,
  book: RuleBook,
  detail = true,
): CategoryResult {
  const poolCheck: Check = {
    id: "pool",
    label: "Eligible for FSW, CEC or FST (in the pool)",
    met: inPool.met,
    detail: inPool.met
      ? `eligible for ${inPool.programs.join(", ")}`
      : "not eligible for any Express Entry program",
  };
  const base = {
    id: version.id,
    category: version.category,
    title: version.title,
    roundName: version.roundName,
    inForce: { from: version.effectiveFrom, to: version.effectiveTo },
    rules: { id: version.id, source: version.source },
  };
  const req = version.requirement;

  if (req.kind === "french-language") {
    const french = profile.languageTests
      .filter((t) => book.languageTest(t.test).language === "french")
      .map((t) => convertLanguageResult(t, asOf, book));
    const valid = french.flatMap((o) => (o.ok ? [o.result] : []));
    const best = valid.sort((a, b) => minClb(b.clb) - minClb(a.clb))[0];
    const met = best !== undefined && minClb(best.clb) >= req.minNclcAllAbilities;
    const checks: Check[] = [
      poolCheck,
      {
        id: "french",
        label: `French NCLC ${req.minNclcAllAbilities} in all four abilities`,
        met,
        detail: best
          ? `${best.testName} of ${best.date}: lowest ability NCLC ${minClb(best.clb)}`
          : french.length > 0
            ? "the French test result cannot be used on this date"
            : "no French test",
      },
    ];
    const eligible = checks.every((c) => c.met);
    const lapse =
      eligible && detail
        ? earliestLapse(version, inPool, [
            best?.validUntil ?? null,
            `the ${best?.testName} result expires after ${best?.validUntil}`,
          ])
        : undefined;
    return {
      ...base,
      eligible,
      checks,
      qualifyingOccupation: null,
      eligibleUntil: lapse?.until,
      lapseReason: lapse?.reason,
      unverifiedConditions: [],
    };
  }

  const rule = experienceRuleFor(version, asOf, book);
  if (!rule) throw new Error(`no category experience rule on ${asOf}`);
  const classify = workClassifier(book);
  const listed = nocSet(req.nocs);
  const keep = (e: Parameters<typeof classify.canadian>[0]) =>
    listed.has(e.noc) && (req.inCanada ? classify.canadian(e) : classify.anySkilled(e));
  const needed = rule.months * HOURS_PER_MONTH;
  const window = windowBefore(asOf, rule.windowYears);
  const current = spans(profile.workHistory, asOf, keep);
  const perNoc = rule.continuous ? continuousHoursByNoc(current, window) : hoursByNoc(current, window);
  const [bestNoc, bestHours] = [...perNoc.entries()].sort((x, y) => y[1] - x[1])[0] ?? [null, 0];
  const where = req.inCanada ? "in Canada" : "in Canada or abroad";
  const checks: Check[] = [
    poolCheck,
    {
      id: "experience",
      label: `${rule.months} months${rule.continuous ? " continuous" : ""} in one listed occupation ${where} within ${rule.windowYears} years`,
      met: bestHours >= needed,
      detail: bestNoc
        ? `${hoursText(bestHours)}${rule.continuous ? " continuous" : ""} in NOC ${bestNoc} (${book.noc(bestNoc)?.titleEn}) since ${isoFromEpochDay(window.from)}; needs ${hoursText(needed)}`
        : `no paid work ${where} in a listed occupation (${req.nocs.length} NOC codes) since ${isoFromEpochDay(window.from)}`,
    },
  ];
  const eligible = checks.every((c) => c.met);
  let lapse: { until: string | null; reason?: string } | undefined;
  if (eligible && detail) {
    const future = spans(profile.workHistory, FAR_FUTURE, keep);
    const units = rule.continuous ? continuousStretches(future) : byNoc(future);
    const day = lastQualifyingDay(units, needed, asOf, rule.windowYears);
    lapse = earliestLapse(version, inPool, [
      day === null ? null : isoFromEpochDay(day),
      `the experience no longer adds up to ${rule.months} months within ${rule.windowYears} years after this day`,
    ]);
  }
  return {
    ...base,
    eligible,
    checks,
    qualifyingOccupation:
      eligible && bestNoc
        ? { noc: bestNoc, title: book.noc(bestNoc)?.titleEn ?? "", hours: bestHours }
        : null,
    eligibleUntil: lapse?.until,
    lapseReason: lapse?.reason,
    unverifiedConditions: req.unverifiedConditions,
  };
}

/**
 * The first of: the category's own requirement lapsing, the profile leaving the pool (no program left),
 * and the category version's end. null when none is foreseen.
 */
function earliestLapse(
  version: CategoryVersion,
  pool: { until: string | null; reason: string },
  own: [string | null, string],
): { until: string | null; reason?: string } {
  return earliest(
    own,
    [pool.until, `the profile leaves the pool after this day (${pool.reason})`],
    [version.effectiveTo, `this category version is in force only until ${version.effectiveTo}`],
  );
}
