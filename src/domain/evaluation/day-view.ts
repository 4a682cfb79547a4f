/**
 * A profile seen on one day: the values the rules read (age, valid language results, hours of work in
 * a window, the rules in force), each read once and reported to the day's Horizon, so the evaluation
 * that reads them knows when it stops holding. The programs, the categories and the CRS read a profile
 * only through a DayView.
 */
import { type Day, isoOf } from "../../calendar/days.js";
import type { RulePeriod } from "../../rules/rule-book.js";
import type { ConvertedLanguageResult } from "../language.js";
import { type Cumulative, level, windowEdge, YEAR_UNITS } from "../work.js";
import { Horizon } from "./horizon.js";
import { ageOn, anniversaryOf, lastDayUnderOf, type TestOnFile, type Timeline } from "./timeline.js";

export interface LanguagePicks {
  /** The first official language's test (the declared language's, else the stronger valid one), valid or not. */
  first: TestOnFile | null;
  /** Whether `first` can be used on the day. */
  firstValid: boolean;
  /** The other official language's test, when it can be used on the day. */
  second: TestOnFile | null;
}

export class DayView {
  readonly period: RulePeriod;
  private picks: LanguagePicks | undefined;
  private spousePick: TestOnFile | null | undefined;
  private ageValue: number | undefined;
  private isoValue: string | undefined;
  /** The last window edge worked out ("the day before the N years"), and for which N. */
  private edgeYears = -1;
  private edgeDay = 0;

  constructor(
    readonly t: Timeline,
    readonly day: Day,
    /** Where the reads report; a fresh one per view unless the caller collects several. */
    readonly horizon: Horizon = new Horizon(day),
    /** Build explanation text (the report) or only decide (rounds). */
    readonly detail = false,
  ) {
    this.period = t.book.periodOn(day);
    horizon.changesOn(this.period.until + 1);
  }

  get iso(): string {
    return (this.isoValue ??= isoOf(this.day));
  }

  /** Completed years of age. */
  age(): number {
    if (this.ageValue === undefined) {
      this.ageValue = ageOn(this.t, this.day);
      this.horizon.changesOn(anniversaryOf(this.t, this.ageValue + 1));
    }
    return this.ageValue;
  }

  /** The last day a test result is valid under the validity rule in force (null: no limit). */
  expiryOf(test: TestOnFile): Day | null {
    const years = this.period.languageValidity?.validityYears;
    return years === undefined ? null : lastDayUnderOf(this.t, test.day, years);
  }

  /** Whether a test result can be used today: taken by today, accepted by IRCC today, not expired. */
  testValid(test: TestOnFile): boolean {
    const d = this.day;
    if (d < test.day) {
      this.horizon.changesOn(test.day);
      return false;
    }
    if (d < test.acceptedFrom) {
      this.horizon.changesOn(test.acceptedFrom);
      return false;
    }
    const expiry = this.expiryOf(test);
    if (expiry === null) return true;
    if (d > expiry) return false;
    this.horizon.changesOn(expiry + 1);
    return true;
  }

  /** The principal's first and second official language results on the day. */
  languages(): LanguagePicks {
    if (this.picks) return this.picks;
    const tests = this.t.principal.tests;
    let english: TestOnFile | undefined;
    let french: TestOnFile | undefined;
    for (const test of tests) if (test.language === "english") english ??= test;
    for (const test of tests) if (test.language === "french") french ??= test;
    const englishValid = english !== undefined && this.testValid(english);
    const frenchValid = french !== undefined && this.testValid(french);
    const strength = (test: TestOnFile | undefined, valid: boolean) => (test && valid ? test.sumClb : -1);
    const declared = this.t.profile.firstOfficialLanguage;
    const firstIsFrench =
      declared === "french" ||
      (declared === undefined &&
        french !== undefined &&
        strength(french, frenchValid) > strength(english, englishValid));
    const first = (firstIsFrench ? french : (english ?? french)) ?? null;
    const firstValid = first === english ? englishValid : frenchValid;
    const secondTest = firstIsFrench ? english : english ? french : undefined;
    const secondValid = secondTest === english ? englishValid : frenchValid;
    this.picks = {
      first,
      firstValid: first !== null && firstValid,
      second: secondTest && secondValid ? secondTest : null,
    };
    return this.picks;
  }

  /** The spouse's official language result that counts on the day (the stronger valid one), or null. */
  spouseLanguage(): TestOnFile | null {
    if (this.spousePick !== undefined) return this.spousePick;
    let best: TestOnFile | null = null;
    for (const test of this.t.spouse?.tests ?? [])
      if (this.testValid(test) && (best === null || test.sumClb > best.sumClb)) best = test;
    this.spousePick = best;
    return best;
  }

  /** Hours of work (in units) in the `years` before the day; a value for text, not registered. */
  units(f: Cumulative, years: number): number {
    return f.at(this.day) - f.at(this.edge(years));
  }

  /** The day before the window of "the `years` years before" the view's day begins. */
  edge(years: number): Day {
    // Rules read a few window lengths in turn (10, 3, 5 years): recomputing on a switch is cheap.
    if (years !== this.edgeYears) {
      this.edgeYears = years;
      this.edgeDay = windowEdge(this.day, years);
    }
    return this.edgeDay;
  }

  /** A level of the work in the window (whole years or a threshold met), registered as read. */
  workLevel(f: Cumulative, years: number, quantum: number, cap: number): number {
    this.horizon.watch(f, years, quantum, cap);
    return level(this.units(f, years), quantum, cap);
  }

  /**
   * Complete years of work in the window. `cap` is the most years the reading rule tells apart: the
   * evaluation is told to look again only when the years change below it.
   */
  workYears(f: Cumulative, years: number, cap: number): number {
    this.horizon.watch(f, years, YEAR_UNITS, cap);
    return level(this.units(f, years), YEAR_UNITS, Number.MAX_SAFE_INTEGER);
  }

  /** Whether the work in the window reaches `thresholdUnits`. */
  workMet(f: Cumulative, years: number, thresholdUnits: number): boolean {
    return this.workLevel(f, years, thresholdUnits, 1) === 1;
  }

  /** Whether the educational credential assessment is valid on the day (dated by then, under N years old). */
  ecaValid(validityYears: number): boolean {
    const eca = this.t.ecaDay;
    if (eca === null) return false;
    if (this.day < eca) {
      this.horizon.changesOn(eca);
      return false;
    }
    const last = lastDayUnderOf(this.t, eca, validityYears);
    if (this.day > last) return false;
    this.horizon.changesOn(last + 1);
    return true;
  }

  /** Whether the day is within the profile's 12 months in the pool (true for a profile not yet submitted). */
  withinProfileValidity(): boolean {
    const w = this.t.poolDays;
    if (w === null) return true;
    if (this.day < w.from) {
      this.horizon.changesOn(w.from);
      return false;
    }
    if (this.day > w.until) return false;
    this.horizon.changesOn(w.until + 1);
    return true;
  }

  /** A test as the explanations show it (levels, chart, the last valid day under today's rule). */
  converted(test: TestOnFile): ConvertedLanguageResult {
    const expiry = this.expiryOf(test);
    const chart = test.rules.charts.find((c) => c.id === test.chartId);
    return {
      test: test.input.test,
      testName: test.rules.name,
      language: test.language,
      date: test.input.date,
      scores: {
        speaking: test.input.speaking,
        listening: test.input.listening,
        reading: test.input.reading,
        writing: test.input.writing,
      },
      clb: { ...test.clb },
      chart: { id: test.chartId, source: chart?.source ?? test.rules.charts[0]!.source },
      validUntil: expiry === null ? "9999-12-31" : isoOf(expiry),
    };
  }
}
