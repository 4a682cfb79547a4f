/**
 * What if: the ways to raise a CRS score, ranked by the points each gains, and what is about to be lost
 * and when. Pure domain logic (no I/O).
 *
 * One definition of the points: every "what would the score be" here builds a modified questionnaire
 * (or, for the spouse as principal, a modified profile) and scores it through the normal path
 * (`scoreQuestionnaire`, or the profile's `crsReadingOn` + `crsPoints`, the path the evaluation uses).
 * Nothing here knows a point value; language levels come from the rule book's charts.
 *
 * The questionnaire taken is the validated `Questionnaire` (`z.infer` of `questionnaireSchema`, defaults
 * filled in), not `QuestionnaireInput`: callers validate first (the HTTP API does so with the schema).
 */
import { anniversary, type Day, dayOf, isoOf } from "../../calendar/days.js";
import type { CrsRuleSet, RuleBook } from "../../rules/rule-book.js";
import {
  ABILITIES,
  type Ability,
  CANADIAN_EDUCATION,
  type LanguageChart,
  LANGUAGE_TESTS,
} from "../../rules/schema.js";
import { DayView } from "../evaluation/day-view.js";
import { Horizon } from "../evaluation/horizon.js";
import { type Timeline, timelineOf } from "../evaluation/timeline.js";
import { chartForTestDate, clbForScore, convertLanguageResult, minClb } from "../language.js";
import { crsTotalOn, derivationOn } from "../profile/derive.js";
import type { Profile } from "../profile/profile.js";
import { completedYears } from "../../calendar/dates.js";
import { compileCrs } from "./points.js";
import type { FieldError, LanguageResult, Questionnaire } from "./questionnaire.js";
import { scoreQuestionnaire } from "./score.js";

export type ImprovementAction =
  /** Retake a test for the next CLB in one ability. detail: { which, test, ability, fromClb, toClb } */
  | "language-next-clb"
  /** French at NCLC 7 in all four abilities (a second language if the first is English). detail: {} */
  | "french-nclc-7"
  /** One more year of Canadian skilled work. detail: { fromYears, toYears } */
  | "canadian-work-year"
  /** One more year of foreign skilled work. detail: { fromYears, toYears } */
  | "foreign-work-year"
  /** A Canadian post-secondary credential. detail: { credential: "one-or-two-year" | "three-year-or-more" } */
  | "canadian-credential"
  /** detail: {} */
  | "provincial-nomination"
  /** The spouse as principal applicant, the candidate as accompanying spouse. detail: { total } */
  | "spouse-as-principal";

export interface Improvement {
  action: ImprovementAction;
  detail: Record<string, string | number>;
  /** total − the current total; always > 0. */
  gain: number;
  /** The CRS total with the improvement. */
  total: number;
}

export type LossCause =
  "birthday" | "test-expires" | "eca-expires" | "work-window" | "pool-expires" | "rule-change" | "other";

export interface ComingLoss {
  cause: LossCause;
  /** ISO date: the first day the lower score applies. */
  on: string;
  /** Points lost against the day before. */
  loss: number;
  /** The total from `on` (0 when the profile can no longer be scored or leaves the pool). */
  total: number;
  detail: Record<string, string | number>;
}

export interface ScoreAdvice {
  asOf: string;
  total: number;
  /** gain > 0 only, sorted by gain (highest first), then action. */
  improvements: Improvement[];
  /** Sorted by date: each day within the next 2 years on which the total goes down, at most 5. */
  losses: ComingLoss[];
}

/** Options of `adviseProfile`. */
export interface ProfileAdviceOptions {
  /**
   * The spouse's date of birth. The profile does not hold it, and the CRS always reads the principal's
   * age, so "spouse as principal" is computed only when it is given here.
   */
  spouseDateOfBirth?: string;
}

/** The input cannot be scored on the as-of date (e.g. its first-language result has expired). */
export class NotScoredError extends Error {
  constructor(readonly reasons: FieldError[]) {
    super(`cannot be scored: ${reasons.map((r) => `${r.field}: ${r.message}`).join("; ") || "no reason"}`);
    this.name = "NotScoredError";
  }
}

/** How far ahead losses are looked for, and how many are reported. */
const LOSS_YEARS = 2;
const MAX_LOSSES = 5;

type Which = "first" | "second";

/** The CRS total of a questionnaire on a day, through the normal scoring path; null when not scored. */
function totalOf(q: Questionnaire, asOf: string, book: RuleBook): number | null {
  const outcome = scoreQuestionnaire(q, { asOf, book, today: () => asOf });
  return outcome.status === "scored" ? outcome.total : null;
}

function baseTotal(q: Questionnaire, asOf: string, book: RuleBook): number {
  const outcome = scoreQuestionnaire(q, { asOf, book, today: () => asOf });
  if (outcome.status === "scored") return outcome.total;
  throw new NotScoredError(outcome.status === "invalid" ? outcome.errors : outcome.reasons);
}

/** The chart's levels in increasing order (CLB/NCLC 4…10 in the shipped charts). */
const levelsOf = (chart: LanguageChart) =>
  [...new Set(chart.minimumScores.map((row) => row.clb))].sort((a, b) => a - b);

/** The lowest score of the chart that reaches `level` in one ability (the row at that level, or above it). */
function scoreFor(chart: LanguageChart, ability: Ability, level: number): number | undefined {
  let best: { clb: number; score: number } | undefined;
  for (const row of chart.minimumScores)
    if (row.clb >= level && (!best || row.clb < best.clb)) best = { clb: row.clb, score: row[ability] };
  return best?.score;
}

const withTest = (q: Questionnaire, which: Which, test: LanguageResult): Questionnaire =>
  which === "first" ? { ...q, firstLanguage: test } : { ...q, secondLanguage: test };

/**
 * Every improvement of a questionnaire on `asOf`, each scored through `scoreQuestionnaire`; only those
 * that raise the total, best first.
 */
function improvementsOf(q: Questionnaire, asOf: string, book: RuleBook, base: number): Improvement[] {
  const set = book.crsRuleSetFor(asOf);
  if (!set) return [];
  const out: Improvement[] = [];
  const consider = (action: ImprovementAction, detail: Improvement["detail"], modified: Questionnaire) => {
    const total = totalOf(modified, asOf, book);
    if (total === null || total <= base) return false;
    out.push({ action, detail, gain: total - base, total });
    return true;
  };

  // Language: per test and ability, the next level of the test's chart (the chart of its test date, so
  // the other three scores keep their levels) that raises the total. Usually the next CLB; when the next
  // one earns nothing (e.g. CLB 4 → 5 in the first language), the first higher one that does.
  for (const which of ["first", "second"] as const) {
    const test = which === "first" ? q.firstLanguage : q.secondLanguage;
    if (!test) continue;
    const chart = chartForTestDate(book.languageTest(test.test), test.date);
    for (const ability of ABILITIES) {
      const fromClb = clbForScore(chart, ability, test[ability]);
      for (const level of levelsOf(chart).filter((l) => l > fromClb)) {
        const score = scoreFor(chart, ability, level);
        if (score === undefined) continue;
        const retake = { ...test, [ability]: score };
        const toClb = clbForScore(chart, ability, score);
        const detail = { which, test: test.test, ability, fromClb, toClb };
        if (consider("language-next-clb", detail, withTest(q, which, retake))) break;
      }
    }
  }

  // French at the level the French-proficiency points require (NCLC 7) in every ability.
  const french = set.tables["additional.frenchProficiency"];
  if (french) {
    const target = french.minNclcAllAbilities;
    const isFrench = (t: LanguageResult | null) => !!t && book.languageTest(t.test).language === "french";
    const which: Which | null = isFrench(q.firstLanguage)
      ? "first"
      : isFrench(q.secondLanguage)
        ? "second"
        : q.secondLanguage === null
          ? "second"
          : null;
    const existing = which === "first" ? q.firstLanguage : which === "second" ? q.secondLanguage : null;
    let test: LanguageResult | null = null;
    if (existing) {
      // Raise the abilities below the target to the target on the test's own chart.
      const chart = chartForTestDate(book.languageTest(existing.test), existing.date);
      const levels = Object.fromEntries(
        ABILITIES.map((a) => [a, clbForScore(chart, a, existing[a])]),
      ) as Record<Ability, number>;
      if (minClb(levels) < target) {
        test = { ...existing };
        for (const a of ABILITIES)
          if (levels[a] < target) {
            const score = scoreFor(chart, a, target);
            if (score === undefined) test = null;
            else if (test) test[a] = score;
          }
      }
    } else if (which === "second") {
      // A new French test taken on the as-of date: the first French test IRCC accepts then, on its chart.
      const code = LANGUAGE_TESTS.find((c) => {
        const rules = book.languageTest(c);
        return rules.language === "french" && rules.acceptedFrom <= asOf;
      });
      if (code) {
        const chart = chartForTestDate(book.languageTest(code), asOf);
        const scores = ABILITIES.map((a) => scoreFor(chart, a, target));
        if (scores.every((s) => s !== undefined)) {
          const [speaking, listening, reading, writing] = scores as number[];
          test = { test: code, date: asOf, speaking, listening, reading, writing } as LanguageResult;
        }
      }
    }
    if (which && test) consider("french-nclc-7", {}, withTest(q, which, test));
  }

  // Work: one more year, unless the years already reach the most any table of the rule set tells apart.
  const caps = compileCrs(set).yearsCap;
  if (q.canadianWorkYears < caps.canadian)
    consider(
      "canadian-work-year",
      { fromYears: q.canadianWorkYears, toYears: q.canadianWorkYears + 1 },
      { ...q, canadianWorkYears: q.canadianWorkYears + 1 },
    );
  if (q.foreignWorkYears < caps.foreign)
    consider(
      "foreign-work-year",
      { fromYears: q.foreignWorkYears, toYears: q.foreignWorkYears + 1 },
      { ...q, foreignWorkYears: q.foreignWorkYears + 1 },
    );

  // A Canadian credential longer than the one held. A credential of a length implies a lowest overall
  // education level (questionnaire.ts checks it); where the candidate's level is below it, the
  // questionnaire is rejected and the action skipped, rather than guessing the new education level.
  const held = q.canadianEducation === null ? -1 : CANADIAN_EDUCATION.indexOf(q.canadianEducation);
  for (const credential of ["one-or-two-year", "three-year-or-more"] as const)
    if (CANADIAN_EDUCATION.indexOf(credential) > held)
      consider("canadian-credential", { credential }, { ...q, canadianEducation: credential });

  if (!q.provincialNomination) consider("provincial-nomination", {}, { ...q, provincialNomination: true });

  // Spouse as principal: never for a questionnaire. It asks neither the spouse's age (always scored for
  // the principal) nor the spouse's foreign work or second language, so any total would be a guess.

  return sortImprovements(out);
}

function sortImprovements(list: Improvement[]): Improvement[] {
  return list.sort(
    (a, b) =>
      b.gain - a.gain ||
      a.action.localeCompare(b.action) ||
      JSON.stringify(a.detail).localeCompare(JSON.stringify(b.detail)),
  );
}

// ---------------------------------------------------------------------------------------------------
// Losses

/** What the score reads on a day, compared between the day before a drop and the day of it. */
interface Snapshot {
  total: number | null;
  age: number;
  /** The results that count on the day (null: none, or not valid). */
  tests: Record<"first" | "second" | "spouse", LanguageResult | null>;
  /** Years of work, capped at the most the rule set tells apart. */
  work: Record<"canadian" | "foreign" | "spouse-canadian", number>;
  ruleSet: string | undefined;
  validityRule: string | undefined;
  inPool: boolean;
}

function causeOf(
  before: Snapshot,
  after: Snapshot,
  day: Day,
  book: RuleBook,
): { cause: LossCause; detail: ComingLoss["detail"] } {
  if (before.inPool && !after.inPool)
    return { cause: "pool-expires", detail: { lastDayInPool: isoOf(day - 1) } };
  for (const which of ["first", "second", "spouse"] as const) {
    const was = before.tests[which];
    const now = after.tests[which];
    if (was && (now === null || now.test !== was.test || now.date !== was.date))
      return {
        cause: "test-expires",
        detail: { which, test: was.test, testDate: was.date, lastValidDay: isoOf(day - 1) },
      };
  }
  if (after.age !== before.age)
    return { cause: "birthday", detail: { fromAge: before.age, toAge: after.age } };
  for (const kind of ["canadian", "foreign", "spouse-canadian"] as const)
    if (after.work[kind] < before.work[kind])
      return {
        cause: "work-window",
        detail: { kind, fromYears: before.work[kind], toYears: after.work[kind] },
      };
  if (after.ruleSet !== before.ruleSet || after.validityRule !== before.validityRule) {
    const set = book.crsRuleSetFor(isoOf(day));
    return {
      cause: "rule-change",
      detail: { ruleSet: set?.id ?? "none", effectiveFrom: isoOf(day) },
    };
  }
  return { cause: "other", detail: {} };
}

/**
 * Walks the days on which the score may change (`next`), and records each day the total goes down.
 * A day on which the input can no longer be scored, or leaves the pool, counts as a fall to 0 and ends
 * the walk (nothing later can be lost).
 */
function walkLosses(
  start: Day,
  first: Snapshot,
  next: (day: Day) => { day: Day; snapshot: Snapshot } | null,
  before: (day: Day) => Snapshot,
  book: RuleBook,
): ComingLoss[] {
  const losses: ComingLoss[] = [];
  const last = anniversary(start, LOSS_YEARS);
  let prev = first;
  let day = start;
  for (let guard = 0; guard < 10_000 && losses.length < MAX_LOSSES; guard++) {
    const step = next(day);
    if (!step || step.day > last) break;
    day = step.day;
    const cur = step.snapshot;
    const was = prev.total ?? 0;
    const lostAll = (prev.inPool && !cur.inPool) || cur.total === null;
    const now = lostAll ? 0 : (cur.total as number);
    if (now < was && prev.total !== null) {
      const { cause, detail } = causeOf(before(day), cur, day, book);
      losses.push({ cause, on: isoOf(day), loss: was - now, total: now, detail });
    }
    if (lostAll) break;
    prev = cur;
  }
  return losses;
}

// Questionnaire: only what it dates (the date of birth, the test dates) and the rule book's changes.

/** Work years as far as the rule set's tables tell them apart (more years beyond the cap change nothing). */
function cappedWork(q: Questionnaire, set: CrsRuleSet | undefined): Snapshot["work"] {
  const caps = set ? compileCrs(set).yearsCap : undefined;
  const cap = (years: number, max: number | undefined) => Math.min(years, max ?? years);
  return {
    canadian: cap(q.canadianWorkYears, caps?.canadian),
    foreign: cap(q.foreignWorkYears, caps?.foreign),
    "spouse-canadian": cap(q.spouse?.canadianWorkYears ?? 0, caps?.spouseCanadian),
  };
}

/** The questionnaire a candidate answers on a later day: results no longer valid are left out. */
/** The result when it counts on `iso` (valid, not future-dated, accepted), else null. */
const validOn = (t: LanguageResult | null | undefined, iso: string, book: RuleBook) =>
  t && convertLanguageResult(t, iso, book).ok ? t : null;

function questionnaireOn(q: Questionnaire, iso: string, book: RuleBook): Questionnaire {
  const valid = (t: LanguageResult | null) => validOn(t, iso, book);
  return {
    ...q,
    asOf: iso,
    secondLanguage: valid(q.secondLanguage),
    spouse:
      q.spouse && q.spouse.language !== undefined
        ? { ...q.spouse, language: valid(q.spouse.language) }
        : q.spouse,
  };
}

function questionnaireSnapshot(q: Questionnaire, day: Day, book: RuleBook): Snapshot {
  const iso = isoOf(day);
  const on = questionnaireOn(q, iso, book);
  const set = book.crsRuleSetFor(iso);
  return {
    total: totalOf(on, iso, book),
    age: q.dateOfBirth !== undefined ? completedYears(q.dateOfBirth, iso) : (q.age ?? 0),
    tests: {
      first: validOn(q.firstLanguage, iso, book),
      second: on.secondLanguage,
      spouse: on.spouse?.language ?? null,
    },
    work: cappedWork(q, set),
    ruleSet: set?.id,
    validityRule: book.languageValidityFor(iso)?.effectiveFrom,
    inPool: true,
  };
}

/** The first day after `day` on which something the questionnaire dates may read differently. */
function nextQuestionnaireChange(q: Questionnaire, day: Day, book: RuleBook): Day {
  const iso = isoOf(day);
  let next = book.periodOn(day).until + 1;
  if (q.dateOfBirth !== undefined) {
    const birth = dayOf(q.dateOfBirth);
    next = Math.min(next, anniversary(birth, completedYears(q.dateOfBirth, iso) + 1));
  }
  for (const t of [q.firstLanguage, q.secondLanguage, q.spouse?.language]) {
    if (!t) continue;
    const taken = dayOf(t.date);
    if (taken > day) next = Math.min(next, taken);
    const outcome = convertLanguageResult(t, iso, book);
    if (outcome.ok) next = Math.min(next, dayOf(outcome.result.validUntil) + 1);
  }
  return next;
}

function questionnaireLosses(q: Questionnaire, asOf: string, book: RuleBook): ComingLoss[] {
  const start = dayOf(asOf);
  return walkLosses(
    start,
    questionnaireSnapshot(q, start, book),
    (day) => {
      const next = nextQuestionnaireChange(q, day, book);
      return { day: next, snapshot: questionnaireSnapshot(q, next, book) };
    },
    (day) => questionnaireSnapshot(q, day - 1, book),
    book,
  );
}

/**
 * Ways to raise a questionnaire's score on `asOf`, and its coming losses (from its date of birth, if
 * given, its test dates and the rule book's changes). Throws NotScoredError when it cannot be scored.
 */
export function adviseQuestionnaire(q: Questionnaire, asOf: string, book: RuleBook): ScoreAdvice {
  const total = baseTotal(q, asOf, book);
  return {
    asOf,
    total,
    improvements: improvementsOf(q, asOf, book, total),
    losses: questionnaireLosses(q, asOf, book),
  };
}

// Profile: the evaluation's machinery (Timeline, DayView, Horizon).

/**
 * A profile on a day: the total and pool membership read on a view reporting to `horizon` (what the
 * walk follows), and the inputs a change is traced to read on a view of their own, so that their reads
 * (work years beyond any table's cap) add no days to the walk.
 */
function profileSnapshot(t: Timeline, day: Day, horizon = new Horizon(day)): Snapshot {
  const v = new DayView(t, day, horizon);
  const total = crsTotalOn(v);
  const inPool = v.withinProfileValidity();
  const q = derivationOn(new DayView(t, day)).questionnaire;
  const set = v.period.crs;
  const picks = v.languages();
  return {
    total,
    age: v.age(),
    tests: {
      first: picks.firstValid && picks.first ? picks.first.input : null,
      second: q.secondLanguage,
      spouse: q.spouse?.language ?? null,
    },
    work: cappedWork(q, set),
    ruleSet: set?.id,
    validityRule: v.period.languageValidity?.effectiveFrom,
    inPool,
  };
}

function profileLosses(t: Timeline, start: Day): ComingLoss[] {
  // Each step reads the CRS and the pool window on a view whose Horizon then gives the next day on
  // which any of it may read differently (a birthday, a test's expiry, work leaving a window, a rule
  // change, the profile's 12 months), as the evaluation's walk (evaluate.ts, walkFrom) does.
  let horizon = new Horizon(start);
  const first = profileSnapshot(t, start, horizon);
  return walkLosses(
    start,
    first,
    () => {
      const next = horizon.nextChange();
      if (next === null) return null;
      horizon = new Horizon(next);
      return { day: next, snapshot: profileSnapshot(t, next, horizon) };
    },
    (day) => profileSnapshot(t, day - 1),
    t.book,
  );
}

/**
 * The spouse as principal applicant and the candidate as the accompanying spouse, scored through the
 * profile path. Only what the profile states about the spouse counts: their tests, work and education;
 * no certificate, job offer or nomination of their own (the profile does not describe them, so the total
 * is a floor). null when it cannot be computed without guessing: no spouse date of birth (the profile
 * lacks it, and age is always scored), a spouse who is a citizen/PR, no valid spouse test, or Canadian
 * study whose credential the profile does not say.
 */
function spouseAsPrincipalTotal(
  p: Profile,
  asOf: string,
  book: RuleBook,
  spouseDateOfBirth: string | undefined,
): number | null {
  const s = p.spouse;
  if (!s || s.canadianCitizenOrPR || spouseDateOfBirth === undefined || spouseDateOfBirth > asOf) return null;
  if (s.languageTests.length === 0 || s.canadianStudyYears > 0) return null;
  const swapped: Profile = {
    dateOfBirth: spouseDateOfBirth,
    maritalStatus: p.maritalStatus,
    spouse: {
      canadianCitizenOrPR: false,
      accompanying: true,
      education: p.education.level,
      canadianStudyYears: p.education.canadianStudyYears,
      languageTests: p.languageTests,
      workHistory: p.workHistory,
    },
    // Where the spouse studied is not known; the CRS does not read it (nor the ECA).
    education: {
      level: s.education,
      obtainedIn: "abroad",
      ecaDate: null,
      canadianCredential: null,
      canadianStudyYears: s.canadianStudyYears,
    },
    languageTests: s.languageTests,
    workHistory: s.workHistory,
    certificateOfQualification: null,
    jobOffer: null,
    provincialNomination: false,
    // A sibling in Canada counts for either partner.
    relativesInCanada: p.relativesInCanada,
    settlementFunds: p.settlementFunds,
    familySize: p.familySize,
    authorizedToWorkInCanada: p.authorizedToWorkInCanada,
  };
  return crsTotalOn(new DayView(timelineOf(swapped, book), dayOf(asOf)));
}

/**
 * Ways to raise a profile's score on `asOf` (each applied to the questionnaire the profile answers that
 * day, scored through `scoreQuestionnaire`) and the days within two years on which its CRS total goes
 * down, found with the evaluation's Timeline, DayView and Horizon. Throws NotScoredError when the
 * profile cannot be scored on `asOf`.
 */
export function adviseProfile(
  profile: Profile,
  asOf: string,
  book: RuleBook,
  options: ProfileAdviceOptions = {},
): ScoreAdvice {
  const t = timelineOf(profile, book);
  const day = dayOf(asOf);
  const v = new DayView(t, day);
  const total = crsTotalOn(v);
  const q = derivationOn(v).questionnaire;
  if (total === null) {
    baseTotal(q, asOf, book); // throws with the reasons
    throw new NotScoredError([{ field: "languageTests", message: `no valid result on ${asOf}` }]);
  }
  const improvements = improvementsOf(q, asOf, book, total);
  const spouse = spouseAsPrincipalTotal(profile, asOf, book, options.spouseDateOfBirth);
  if (spouse !== null && spouse > total)
    improvements.push({
      action: "spouse-as-principal",
      detail: { total: spouse },
      gain: spouse - total,
      total: spouse,
    });
  return { asOf, total, improvements: sortImprovements(improvements), losses: profileLosses(t, day) };
}
