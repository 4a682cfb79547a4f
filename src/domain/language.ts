/**
 * Language test results → CLB/NCLC levels, with the chart chosen by the test date and the result's
 * validity judged on the as-of date.
 */
import type { RuleBook } from "../rules/rule-book.js";
import {
  ABILITIES,
  type Ability,
  type LanguageChart,
  type LanguageTestCode,
  type LanguageTestRules,
  type Source,
} from "../rules/schema.js";
import { lastDayUnderYears } from "../calendar/dates.js";

export type Clb = Record<Ability, number>;

export interface LanguageResultInput {
  test: LanguageTestCode;
  /** Test date, YYYY-MM-DD. */
  date: string;
  speaking: number;
  listening: number;
  reading: number;
  writing: number;
}

export interface ConvertedLanguageResult {
  test: LanguageTestCode;
  testName: string;
  language: "english" | "french";
  date: string;
  scores: Record<Ability, number>;
  /** CLB (English) or NCLC (French) per ability; 0 means below the chart's lowest level (CLB 4). */
  clb: Clb;
  chart: { id: string; source: Source };
  /** Last day on which the result is valid. */
  validUntil: string;
}

export interface LanguageProblem {
  /** Field below the test object, e.g. "date" or "speaking". */
  field: string;
  /** invalid: the input can never be right; not-scorable: the input is fine but cannot count on this as-of date. */
  kind: "invalid" | "not-scorable";
  message: string;
}

export type ConversionOutcome =
  { ok: true; result: ConvertedLanguageResult } | { ok: false; problems: LanguageProblem[] };

export function chartForTestDate(rules: LanguageTestRules, testDate: string): LanguageChart {
  let chosen = rules.charts[0] as LanguageChart;
  for (const chart of rules.charts)
    if (chart.testDateFrom === null || chart.testDateFrom <= testDate) chosen = chart;
  return chosen;
}

/** CLB for one ability score: the highest chart row whose minimum the score reaches; 0 below all rows. */
export function clbForScore(chart: LanguageChart, ability: Ability, score: number): number {
  let best = 0;
  for (const row of chart.minimumScores) if (score >= row[ability] && row.clb > best) best = row.clb;
  return best;
}

function onScale(chart: LanguageChart, ability: Ability, score: number): string | undefined {
  const { min, max, step } = chart.scale[ability];
  if (!Number.isFinite(score) || score < min || score > max) return `must be between ${min} and ${max}`;
  const steps = (score - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return `must be a multiple of ${step}`;
  return undefined;
}

/** Scores off the test's scale (e.g. IELTS 7.25 or −3): such a result can never be right, on any date. */
export function languageScaleProblems(input: LanguageResultInput, book: RuleBook): LanguageProblem[] {
  const rules = book.languageTest(input.test);
  const chart = chartForTestDate(rules, input.date);
  const problems: LanguageProblem[] = [];
  for (const ability of ABILITIES) {
    const why = onScale(chart, ability, input[ability]);
    if (why)
      problems.push({
        field: ability,
        kind: "invalid",
        message: `${rules.name} ${ability} score ${why} (chart ${chart.id})`,
      });
  }
  return problems;
}

export function convertLanguageResult(
  input: LanguageResultInput,
  asOf: string,
  book: RuleBook,
): ConversionOutcome {
  const rules = book.languageTest(input.test);
  const chart = chartForTestDate(rules, input.date);
  const problems = languageScaleProblems(input, book);
  if (problems.length > 0) return { ok: false, problems };

  const validity = book.languageValidityFor(asOf);
  const validUntil = validity ? lastDayUnderYears(input.date, validity.validityYears) : "9999-12-31";
  if (input.date > asOf) {
    problems.push({
      field: "date",
      kind: "not-scorable",
      message: `test date ${input.date} is after the as-of date ${asOf}`,
    });
  } else if (asOf > validUntil) {
    problems.push({
      field: "date",
      kind: "not-scorable",
      message: `${rules.name} result of ${input.date} expired: results are valid for ${validity?.validityYears} years (until ${validUntil}); on ${asOf} it can no longer be used`,
    });
  }
  if (asOf < rules.acceptedFrom) {
    problems.push({
      field: "test",
      kind: "not-scorable",
      message: `${rules.name} is accepted by IRCC only from ${rules.acceptedFrom}; not on ${asOf}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const clb = {} as Clb;
  const scores = {} as Record<Ability, number>;
  for (const ability of ABILITIES) {
    scores[ability] = input[ability];
    clb[ability] = clbForScore(chart, ability, input[ability]);
  }
  return {
    ok: true,
    result: {
      test: input.test,
      testName: rules.name,
      language: rules.language,
      date: input.date,
      scores,
      clb,
      chart: { id: chart.id, source: chart.source },
      validUntil,
    },
  };
}

export function minClb(clb: Clb): number {
  return Math.min(clb.speaking, clb.listening, clb.reading, clb.writing);
}
