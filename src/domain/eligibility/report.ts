/**
 * The eligibility report for a profile on a date: CRS score, programs (FSW with its grid, CEC, FST),
 * pool membership and every category version in force, each with reasons and the last day it holds;
 * and `validUntil`, the last day on which the whole evaluation stays the same.
 */
import { type Day, dayOf, isoOf } from "../../calendar/days.js";
import type { RuleBook } from "../../rules/rule-book.js";
import { isoDateSchema } from "../../rules/schema.js";
import { type FieldError, zodIssuesToFieldErrors } from "../crs/questionnaire.js";
import { type CrsOutcome, scoreFacts, summarizeRuleSet } from "../crs/score.js";
import { DayView } from "../evaluation/day-view.js";
import {
  answersWithValidity,
  type DayVerdicts,
  type Followed,
  followedKey,
  lapseDays,
  verdictsOn,
} from "../evaluation/evaluate.js";
import { type Timeline, timelineOf } from "../evaluation/timeline.js";
import { convertLanguageResult, languageScaleProblems } from "../language.js";
import { type Derivation, derivationOn, factsContextOf } from "../profile/derive.js";
import { type Profile, profileSchema } from "../profile/profile.js";
import type { CategoryResult, Check, ProgramResult } from "./types.js";

export interface PoolMembership {
  /** In the pool: within the profile's 12 months, scorable, and eligible for at least one program. */
  inPool: boolean;
  programs: string[];
  /** The days the profile is in the pool by its submission time (null without submittedAt). */
  profileValidity: { from: string; until: string } | null;
  eligibleUntil?: string | null;
  lapseReason?: string;
}

export interface EligibilityReport {
  status: "evaluated";
  asOf: string;
  profileId: string | null;
  crs: CrsOutcome;
  derivation: Derivation["notes"];
  programs: ProgramResult[];
  /** Eligible for at least one program (and within the profile's validity): the profile can be in the pool. */
  inPool: boolean;
  pool: PoolMembership;
  categories: CategoryResult[];
  /**
   * The last day on which the whole evaluation stays the same if the profile does not change: the same
   * CRS total, the same verdict for every program and category version, the same pool membership.
   * null when no change is foreseen.
   */
  validUntil: string | null;
}

export type ProfileOutcome = { status: "ok"; profile: Profile } | { status: "invalid"; errors: FieldError[] };

/**
 * Validates a profile: its shape, then facts that need the rule data (NOC codes, one test per language,
 * scores on each test's scale). `ee eligibility`, `ee crs` and the pool's imports all use this one.
 */
export function validateProfile(input: unknown, book: RuleBook): ProfileOutcome {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return { status: "invalid", errors: zodIssuesToFieldErrors(parsed.error.issues) };
  const p = parsed.data;
  const errors: FieldError[] = [];
  const checkNoc = (code: string, field: string) => {
    if (!book.noc(code)) errors.push({ field, message: `${code} is not a NOC 2021 unit group` });
  };
  p.workHistory.forEach((w, i) => checkNoc(w.noc, `workHistory.${i}.noc`));
  p.spouse?.workHistory.forEach((w, i) => checkNoc(w.noc, `spouse.workHistory.${i}.noc`));
  if (p.jobOffer) checkNoc(p.jobOffer.noc, "jobOffer.noc");
  if (p.certificateOfQualification)
    checkNoc(p.certificateOfQualification.noc, "certificateOfQualification.noc");
  const tests = (list: Profile["languageTests"], field: string) => {
    const languages = list.map((t) => book.languageTest(t.test).language);
    if (new Set(languages).size !== languages.length)
      errors.push({ field, message: "holds at most one English and one French test" });
    list.forEach((t, i) => {
      for (const problem of languageScaleProblems(t, book))
        errors.push({ field: `${field}.${i}.${problem.field}`, message: problem.message });
    });
  };
  tests(p.languageTests, "languageTests");
  if (
    p.firstOfficialLanguage &&
    !p.languageTests.some((t) => book.languageTest(t.test).language === p.firstOfficialLanguage)
  )
    errors.push({
      field: "firstOfficialLanguage",
      message: `is ${p.firstOfficialLanguage}, but there is no ${p.firstOfficialLanguage} test`,
    });
  if (p.spouse) tests(p.spouse.languageTests, "spouse.languageTests");
  return errors.length > 0 ? { status: "invalid", errors } : { status: "ok", profile: p };
}

const NOUN: Record<string, string> = {
  experience: "the work experience",
  language: "the language requirement",
  french: "the French language requirement",
  education: "the education requirement",
  grid: "the selection grid",
  funds: "the proof of funds",
  "offer-or-certificate": "the job offer or certificate",
  pool: "pool membership",
  rules: "the rules",
};

/** Why a verdict that held the day before no longer holds on `day`: its unmet checks on that day. */
function lapseReason(failing: readonly Check[], iso: string, extra = ""): string {
  const why = failing
    .map((c) => `${NOUN[c.id] ?? c.label} is no longer met (${c.label}: ${c.detail})`)
    .join("; ");
  return `from ${iso}: ${why || "no longer met"}${extra}`;
}

function crsOutcomeOn(v: DayView, d: DayVerdicts): CrsOutcome {
  const set = v.period.crs;
  if (!set)
    return {
      status: "not-scored",
      asOf: v.iso,
      ruleSet: null,
      reasons: [{ field: "asOf", message: "no CRS rule set" }],
    };
  if (!d.crs) {
    const first = v.languages().first;
    const outcome = first ? convertLanguageResult(first.input, v.iso, v.t.book) : null;
    const reasons =
      outcome && !outcome.ok
        ? outcome.problems.map((p) => ({ field: `firstLanguage.${p.field}`, message: p.message }))
        : [{ field: "firstLanguage", message: "no test result can be used on this date" }];
    return { status: "not-scored", asOf: v.iso, ruleSet: summarizeRuleSet(set), reasons };
  }
  return scoreFacts(d.crs.facts, factsContextOf(v, d.crs), d.crs.set, v.t.book);
}

/** The full report on a day (explanations, lapse dates and validUntil) for a validated profile. */
export function evaluateProfile(profile: Profile, asOf: string, book: RuleBook): EligibilityReport {
  const t = timelineOf(profile, book);
  return reportOn(t, dayOf(asOf));
}

export function reportOn(t: Timeline, day: Day): EligibilityReport {
  const v = new DayView(t, day, undefined, true);
  const d = verdictsOn(v);
  const followed: Followed[] = [
    ...d.programs.filter((p) => p.eligible).map((p) => ({ kind: "program" as const, program: p.program })),
    ...d.categories.filter((c) => c.eligible).map((c) => ({ kind: "category" as const, id: c.id })),
    ...(d.pool.met ? [{ kind: "pool" as const }] : []),
  ];
  const lapses = lapseDays(t, day, followed);
  const details = new Map<Day, DayVerdicts>();
  const on = (lapse: Day) => {
    let x = details.get(lapse);
    if (!x) details.set(lapse, (x = verdictsOn(new DayView(t, lapse, undefined, true))));
    return x;
  };
  const poolReason = (x: DayVerdicts, iso: string): string => {
    if (!x.pool.withinProfileValidity)
      return `from ${iso}: the profile is no longer in the pool (its 12 months have passed)`;
    if (x.crsTotal === null) {
      const later = crsOutcomeOn(new DayView(t, dayOf(iso), undefined, true), x);
      const why = later.status === "not-scored" ? later.reasons.map((r) => r.message).join("; ") : "";
      return `from ${iso}: the CRS can no longer score the profile: no valid first official language result (${why})`;
    }
    const reasons = d.pool.programs.map((program) => {
      const later = x.programs.find((p) => p.program === program);
      return `${program}: ${lapseReason(later?.checks.filter((c) => !c.met) ?? [], iso).replace(/^from [^:]+: /, "")}`;
    });
    return `from ${iso}: the profile leaves the pool (${reasons.join("; ")})`;
  };
  const lapseOf = (f: Followed): { eligibleUntil?: string | null; lapseReason?: string } => {
    const lapse = lapses.get(followedKey(f));
    if (lapse === undefined || lapse === null) return { eligibleUntil: lapse === null ? null : undefined };
    const iso = isoOf(lapse);
    const x = on(lapse);
    const until = isoOf(lapse - 1);
    if (f.kind === "pool") return { eligibleUntil: until, lapseReason: poolReason(x, iso) };
    if (f.kind === "program") {
      const later = x.programs.find((p) => p.program === f.program);
      return {
        eligibleUntil: until,
        lapseReason: lapseReason(later?.checks.filter((c) => !c.met) ?? [], iso),
      };
    }
    const later = x.categories.find((c) => c.id === f.id);
    if (!later) {
      const version = d.categories.find((c) => c.id === f.id);
      return {
        eligibleUntil: until,
        lapseReason: `this category version is in force only until ${version?.inForce.to ?? until}`,
      };
    }
    const failing = later.checks.filter((c) => !c.met);
    const pool = failing.some((c) => c.id === "pool")
      ? ` — ${poolReason(x, iso).replace(/^from [^:]+: /, "")}`
      : "";
    return { eligibleUntil: until, lapseReason: lapseReason(failing, iso, pool) };
  };
  const validity = answersWithValidity(t, day);
  const window = t.poolDays;
  const poolLapse = d.pool.met ? lapseOf({ kind: "pool" }) : {};
  return {
    status: "evaluated",
    asOf: v.iso,
    profileId: t.profile.id ?? null,
    crs: crsOutcomeOn(v, d),
    derivation: derivationOn(v).notes,
    programs: d.programs.map((p) => ({
      ...p,
      ...(p.eligible ? lapseOf({ kind: "program", program: p.program }) : {}),
    })),
    inPool: d.pool.met,
    pool: {
      inPool: d.pool.met,
      programs: d.pool.programs,
      profileValidity: window ? { from: isoOf(window.from), until: isoOf(window.until) } : null,
      ...poolLapse,
    },
    categories: d.categories.map((c) => ({
      ...c,
      ...(c.eligible ? lapseOf({ kind: "category", id: c.id }) : {}),
    })),
    validUntil: validity.validUntil === null ? null : isoOf(validity.validUntil),
  };
}

export type EligibilityOutcome = EligibilityReport | { status: "invalid"; errors: FieldError[] };

export function eligibilityOf(
  input: unknown,
  options: { asOf?: string; book: RuleBook; today: () => string },
): EligibilityOutcome {
  if (options.asOf !== undefined) {
    const checked = isoDateSchema.safeParse(options.asOf);
    if (!checked.success)
      return { status: "invalid", errors: [{ field: "asOf", message: "must be a date written YYYY-MM-DD" }] };
  }
  const asOf = options.asOf ?? options.today();
  if (!options.book.crsRuleSetFor(asOf))
    return {
      status: "invalid",
      errors: [{ field: "asOf", message: `${asOf} is before Express Entry (2015-01-01)` }],
    };
  const validated = validateProfile(input, options.book);
  if (validated.status === "invalid") return validated;
  if (validated.profile.dateOfBirth > asOf)
    return {
      status: "invalid",
      errors: [{ field: "dateOfBirth", message: `is after the as-of date ${asOf}` }],
    };
  return evaluateProfile(validated.profile, asOf, options.book);
}
