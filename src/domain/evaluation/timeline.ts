/**
 * A profile's timeline: its dated facts turned once into day numbers and ready-made work measures, so
 * that evaluating it on many days (a round's date, the next day, every day until something lapses) costs
 * array reads, not date parsing. Pure; built from a validated profile and the rule book.
 */
import { addMonthsToDay, anniversary, type Day, dayOf, isoOf, lastDayUnder } from "../../calendar/days.js";
import { instantMs, ottawaDayOfMs } from "../../calendar/instants.js";
import { LAST_DAY_ISO, type RuleBook } from "../../rules/rule-book.js";
import { ABILITIES, type LanguageTestRules } from "../../rules/schema.js";
import type { LanguageResult } from "../crs/questionnaire.js";
import { chartForTestDate, type Clb, clbForScore } from "../language.js";
import type { Profile } from "../profile/profile.js";
import { Cumulative, type DaySpan } from "../work.js";

export const LAST_DAY: Day = dayOf(LAST_DAY_ISO);
const MS_PER_DAY = 86_400_000;

/** A language test result with its levels worked out (the chart depends on the test date only). */
export interface TestOnFile {
  input: LanguageResult;
  rules: LanguageTestRules;
  language: "english" | "french";
  day: Day;
  acceptedFrom: Day;
  clb: Clb;
  chartId: string;
  minClb: number;
  sumClb: number;
}

/** A job as days, classified once for every rule that reads work. */
export interface WorkSpan extends DaySpan {
  noc: string;
  teer: number;
  /** Canadian experience: in Canada, paid, authorized, not self-employed, not while a full-time student, skilled. */
  canadian: boolean;
  /** Foreign skilled experience: outside Canada, paid, skilled (TEER 0–3). */
  foreign: boolean;
}

/** Which jobs a measure counts. */
export type WorkClass = "canadian" | "foreign" | "skilled";
const inClass = (s: WorkSpan, c: WorkClass) =>
  c === "canadian" ? s.canadian : c === "foreign" ? s.foreign : s.canadian || s.foreign;

export interface Person {
  tests: TestOnFile[];
  spans: WorkSpan[];
}

export interface Timeline {
  profile: Profile;
  book: RuleBook;
  birth: Day;
  principal: Person;
  /** The spouse or partner, when there is one. */
  spouse: Person | null;
  /** The educational credential assessment's date (a foreign credential), or null. */
  ecaDay: Day | null;
  /** The Ottawa days on which the profile is in the pool (submitted, not yet expired); null without submittedAt. */
  poolDays: { from: Day; until: Day } | null;
  /** Distinct occupations of the principal's jobs. */
  nocs: ReadonlySet<string>;
  /** Work measures built on first use: cumulatives by class, by occupation, by continuous stretch. */
  cache: Map<string, unknown>;
  /** Birthdays: the first day of each completed year of age, worked out on first use. */
  birthdays: Day[];
  /** All work of a class, per person (principal: 0–2, spouse: 3–5), built on first use. */
  byClass: (Cumulative | undefined)[];
  /** Measures by occupation, built on first use: per table (see TABLE) a map from the NOC code. */
  byOccupation: Map<string, unknown>[];
  /** The work units a program's experience rule reads (by class and kind), built on first use. */
  programUnits: unknown[];
  /** Last valid days of dated documents (test results, ECAs) by date and validity in years. */
  expiries: Map<number, Day>;
}

function testOnFile(input: LanguageResult, book: RuleBook): TestOnFile {
  const rules = book.languageTest(input.test);
  const chart = chartForTestDate(rules, input.date);
  const clb = {} as Clb;
  let min = 99;
  let sum = 0;
  for (const a of ABILITIES) {
    const level = clbForScore(chart, a, input[a]);
    clb[a] = level;
    if (level < min) min = level;
    sum += level;
  }
  return {
    input,
    rules,
    language: rules.language,
    day: dayOf(input.date),
    acceptedFrom: dayOf(rules.acceptedFrom),
    clb,
    chartId: chart.id,
    minClb: min,
    sumClb: sum,
  };
}

function spansOf(history: Profile["workHistory"], book: RuleBook): WorkSpan[] {
  const out: WorkSpan[] = [];
  for (const e of history) {
    if (e.hoursPerWeek <= 0) continue;
    const teer = book.noc(e.noc)?.teer ?? 9;
    const skilled = teer <= 3;
    out.push({
      from: dayOf(e.start),
      to: e.end === null ? LAST_DAY : dayOf(e.end),
      rate: e.hoursPerWeek,
      noc: e.noc,
      teer,
      canadian:
        e.country === "CA" && e.paid && e.authorized && !e.selfEmployed && !e.fullTimeStudent && skilled,
      foreign: e.country !== "CA" && e.paid && skilled,
    });
  }
  return out;
}

/**
 * The Ottawa days a profile submitted at `submittedAt` is in the pool: from the day of submission to the
 * day it expires (profileValidityMonths after submission, by the rules in force when it was submitted).
 */
export function poolDaysOf(submittedAt: string, book: RuleBook): { from: Day; until: Day } | null {
  const ms = instantMs(submittedAt);
  const utcDay = Math.floor(ms / MS_PER_DAY);
  const lifecycle = book.poolLifecycleFor(isoOf(utcDay));
  if (!lifecycle) return null;
  const expiresMs =
    addMonthsToDay(utcDay, lifecycle.profileValidityMonths) * MS_PER_DAY + (ms - utcDay * MS_PER_DAY);
  return { from: ottawaDayOfMs(ms), until: ottawaDayOfMs(expiresMs - 1) };
}

export function timelineOf(profile: Profile, book: RuleBook): Timeline {
  const principal = {
    tests: profile.languageTests.map((t) => testOnFile(t, book)),
    spans: spansOf(profile.workHistory, book),
  };
  return {
    profile,
    book,
    birth: dayOf(profile.dateOfBirth),
    principal,
    spouse: profile.spouse
      ? {
          tests: profile.spouse.languageTests.map((t) => testOnFile(t, book)),
          spans: spansOf(profile.spouse.workHistory, book),
        }
      : null,
    ecaDay: profile.education.ecaDate === null ? null : dayOf(profile.education.ecaDate),
    poolDays: profile.submittedAt ? poolDaysOf(profile.submittedAt, book) : null,
    nocs: new Set(principal.spans.map((s) => s.noc)),
    cache: new Map(),
    birthdays: [],
    byClass: [],
    byOccupation: [],
    programUnits: [],
    expiries: new Map(),
  };
}

/** The first day of the candidate's `years`-th completed year of age. */
export function anniversaryOf(t: Timeline, years: number): Day {
  let d = t.birthdays[years];
  if (d === undefined) t.birthdays[years] = d = anniversary(t.birth, years);
  return d;
}

/** Completed years of age on a day. */
export function ageOn(t: Timeline, day: Day): number {
  let years = Math.max(0, Math.floor((day - t.birth) / 365.2425));
  while (years > 0 && anniversaryOf(t, years) > day) years--;
  while (anniversaryOf(t, years + 1) <= day) years++;
  return years;
}

/** The last day something dated `from` is under `years` years old (test results, ECAs), kept per timeline. */
export function lastDayUnderOf(t: Timeline, from: Day, years: number): Day {
  const key = from * 64 + years;
  let d = t.expiries.get(key);
  if (d === undefined) t.expiries.set(key, (d = lastDayUnder(from, years)));
  return d;
}

/**
 * The cumulative of a subset of a person's spans, shared by every measure over the same subset (with
 * one job, "Canadian", "skilled", "in NOC x" and its one stretch are the same jobs).
 */
function cumulativeOf(t: Timeline, spans: readonly WorkSpan[], subset: readonly WorkSpan[]): Cumulative {
  let key = spans === t.principal.spans ? "p" : "s";
  for (const s of subset) key += `,${spans.indexOf(s)}`;
  let f = t.cache.get(key) as Cumulative | undefined;
  if (!f) t.cache.set(key, (f = new Cumulative(subset)));
  return f;
}

/** All of a person's jobs of a class, capped together at 30 h/week. */
const CLASS_INDEX: Record<WorkClass, number> = { canadian: 0, foreign: 1, skilled: 2 };
export function workOf(t: Timeline, who: "principal" | "spouse", c: WorkClass): Cumulative {
  // The most read measures: kept in a small array rather than looked up by a built key.
  const i = (who === "principal" ? 0 : 3) + CLASS_INDEX[c];
  let f = t.byClass[i];
  if (!f) {
    const spans = (who === "principal" ? t.principal : t.spouse)?.spans ?? [];
    f = cumulativeOf(
      t,
      spans,
      spans.filter((s) => inClass(s, c)),
    );
    t.byClass[i] = f;
  }
  return f;
}

/**
 * The principal's jobs of a class that `keep` accepts, capped together (e.g. CEC's jobs at the level a
 * language result meets). `owner` and `variant` name the selection (the same pair, the same jobs).
 */
export function workWhere(
  t: Timeline,
  owner: string,
  variant: number,
  c: WorkClass,
  keep: (s: WorkSpan) => boolean,
): Cumulative {
  const variants = byOccupationTable<(Cumulative | undefined)[]>(
    t,
    TABLE.where + CLASS_INDEX[c],
    owner,
    () => [],
  );
  let f = variants[variant];
  if (!f)
    variants[variant] = f = cumulativeOf(
      t,
      t.principal.spans,
      t.principal.spans.filter((s) => inClass(s, c) && keep(s)),
    );
  return f;
}

/** Memo tables by occupation (a table per measure kind and class, keyed by the NOC code: no key to build). */
const TABLE = { occupation: 0, stretches: 3, units: 6, where: 9 } as const;
function byOccupationTable<T>(t: Timeline, table: number, key: string, build: () => T): T {
  let map = t.byOccupation[table] as Map<string, T> | undefined;
  if (!map) t.byOccupation[table] = map = new Map<string, T>();
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = build()));
  return value;
}

/** The principal's occupations with jobs of a class. */
export function occupationsOf(t: Timeline, c: WorkClass): string[] {
  const out: string[] = [];
  for (const s of t.principal.spans) if (inClass(s, c) && !out.includes(s.noc)) out.push(s.noc);
  return out;
}

/** The principal's jobs of a class in one occupation, capped together ("in a single occupation"). */
export function workInOccupation(t: Timeline, c: WorkClass, noc: string): Cumulative {
  return byOccupationTable(t, TABLE.occupation + CLASS_INDEX[c], noc, () =>
    cumulativeOf(
      t,
      t.principal.spans,
      t.principal.spans.filter((s) => s.noc === noc && inClass(s, c)),
    ),
  );
}

/** The continuous stretches (no day without a job) of the principal's work in one occupation, each on its own. */
export function stretchesInOccupation(t: Timeline, c: WorkClass, noc: string): Cumulative[] {
  return byOccupationTable(t, TABLE.stretches + CLASS_INDEX[c], noc, () => {
    const spans = t.principal.spans
      .filter((s) => s.noc === noc && inClass(s, c))
      .sort((a, b) => a.from - b.from);
    const list: Cumulative[] = [];
    let current: WorkSpan[] = [];
    let end = Number.NEGATIVE_INFINITY;
    for (const s of spans) {
      if (s.from > end + 1 && current.length > 0) {
        list.push(cumulativeOf(t, t.principal.spans, current));
        current = [];
      }
      current.push(s);
      end = Math.max(end, s.to);
    }
    if (current.length > 0) list.push(cumulativeOf(t, t.principal.spans, current));
    return list;
  });
}

/** The units that can each meet an "in one occupation" requirement: the whole occupation, or each continuous stretch of it. */
export function occupationUnits(t: Timeline, c: WorkClass, noc: string, continuous: boolean): Cumulative[] {
  if (continuous) return stretchesInOccupation(t, c, noc);
  return byOccupationTable(t, TABLE.units + CLASS_INDEX[c], noc, () => [workInOccupation(t, c, noc)]);
}
