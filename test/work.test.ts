/**
 * Work-experience accounting (src/domain/work.ts) against the rules text §1.7 and §4.1:
 * 30 h/week = full time, 1,560 h = one year, hours above 30 h/week never count (even across overlapping
 * jobs), part-time adds up to the same total, a job contributes hoursPerWeek / 7 per calendar day (both
 * ends included), "within N years before asOf" = the days after asOf − N years through asOf, and ongoing
 * jobs count through asOf only. Every expected value is worked out by hand in the comments.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { dayOf, isoOf } from "../src/calendar/days.js";
import { Horizon } from "../src/domain/evaluation/horizon.js";
import {
  occupationsOf,
  stretchesInOccupation,
  timelineOf,
  type WorkSpan,
  workInOccupation,
  workOf,
} from "../src/domain/evaluation/timeline.js";
import { type Profile, profileSchema } from "../src/domain/profile/profile.js";
import {
  Cumulative,
  DAILY_CAP_UNITS,
  hoursToUnits,
  level,
  unitsInWindow,
  unitsToHours,
  windowEdge,
  YEAR_UNITS,
} from "../src/domain/work.js";
import { defaultRuleBook } from "../src/rules/index.js";

const NOC_A = "21231";
const NOC_B = "21232";
const HOURS_PER_YEAR = unitsToHours(YEAR_UNITS);
const FULL_TIME_HOURS_PER_WEEK = DAILY_CAP_UNITS;

type WorkEntry = Profile["workHistory"][number];

function job(start: string, end: string | null, hoursPerWeek = 30, noc = NOC_A): WorkEntry {
  return {
    noc,
    country: "CA",
    start,
    end,
    hoursPerWeek,
    paid: true,
    selfEmployed: false,
    fullTimeStudent: false,
    authorized: true,
  };
}

const book = defaultRuleBook();
const BASE = profileSchema.parse({
  dateOfBirth: "1990-01-01",
  maritalStatus: "single",
  education: { level: "bachelors", obtainedIn: "canada" },
  languageTests: [{ test: "CELPIP", date: "2025-01-01", speaking: 9, listening: 9, reading: 9, writing: 9 }],
});
/** The engine's timeline of a profile holding these jobs (in Canada, paid, authorized: all Canadian experience). */
const timeline = (entries: readonly WorkEntry[]) => timelineOf({ ...BASE, workHistory: [...entries] }, book);

const all = () => true;

/** Temporal's own year arithmetic: the independent check of the window's start. */
const addYears = (iso: string, n: number) => Temporal.PlainDate.from(iso).add({ years: n }).toString();

/** The days of "the N years before asOf": after asOf − N years, through asOf. */
const windowBefore = (asOf: string, years: number) => ({
  from: windowEdge(dayOf(asOf), years) + 1,
  to: dayOf(asOf),
});

/** The timeline's day spans of the jobs `keep` accepts, through `through` (ongoing jobs stop there). */
function spans(entries: readonly WorkEntry[], through: string, keep: (e: WorkEntry) => boolean): WorkSpan[] {
  const last = dayOf(through);
  return timeline(entries.filter(keep))
    .principal.spans.map((s) => ({ ...s, to: Math.min(s.to, last) }))
    .filter((s) => s.to >= s.from);
}

/** Hours worked inside the window by these spans together, capped at 30 h/week. */
const cappedHours = (list: readonly WorkSpan[], w: { from: number; to: number }) =>
  unitsToHours(new Cumulative(list).between(w.from - 1, w.to));

/** Hours per NOC, each capped on its own. */
function hoursByNoc(list: readonly WorkSpan[], w: { from: number; to: number }): Map<string, number> {
  const out = new Map<string, number>();
  for (const noc of new Set(list.map((s) => s.noc)))
    out.set(
      noc,
      cappedHours(
        list.filter((s) => s.noc === noc),
        w,
      ),
    );
  return out;
}

/** The most hours in one continuous stretch per NOC, in the `years` before asOf (the engine's stretches). */
function continuousByNoc(entries: readonly WorkEntry[], asOf: string, years: number): Map<string, number> {
  const t = timeline(entries);
  const out = new Map<string, number>();
  for (const noc of occupationsOf(t, "canadian"))
    out.set(
      noc,
      Math.max(
        ...stretchesInOccupation(t, "canadian", noc).map((f) =>
          unitsToHours(unitsInWindow(f, years, dayOf(asOf))),
        ),
      ),
    );
  return out;
}

/** Hours "within `years` before asOf" of every job, capped at 30 h/week together. */
const hoursWithin = (entries: readonly WorkEntry[], asOf: string, years = 3) =>
  unitsToHours(unitsInWindow(workOf(timeline(entries), "principal", "canadian"), years, dayOf(asOf)));

const completeYears = (hours: number) => level(hoursToUnits(hours), YEAR_UNITS, Number.MAX_SAFE_INTEGER);

/** The alternatives that can each meet a requirement: one per occupation, per continuous stretch, or all together. */
const perNoc = (entries: readonly WorkEntry[]) => {
  const t = timeline(entries);
  return occupationsOf(t, "canadian").map((noc) => workInOccupation(t, "canadian", noc));
};
const stretches = (entries: readonly WorkEntry[]) => {
  const t = timeline(entries);
  return occupationsOf(t, "canadian").flatMap((noc) => stretchesInOccupation(t, "canadian", noc));
};
const together = (entries: readonly WorkEntry[]) => [workOf(timeline(entries), "principal", "canadian")];

/**
 * The last day on which at least one unit holds `threshold` hours in the window, walking as the engine
 * does (Horizon: jump to the next day a watched level may change); null when it never lapses.
 */
function lastDayMet(
  units: readonly Cumulative[],
  asOf: string,
  threshold: number,
  years: number,
): number | null {
  const q = hoursToUnits(threshold);
  const met = (d: number) => units.some((u) => level(unitsInWindow(u, years, d), q, 1) === 1);
  let d = dayOf(asOf);
  if (!met(d)) return d - 1;
  for (;;) {
    const h = new Horizon(d);
    for (const u of units) h.watch(u, years, q, 1);
    const next = h.nextChange();
    if (next === null) return null;
    if (!met(next)) return next - 1;
    d = next;
  }
}

const lastDayIso = (
  units: readonly Cumulative[],
  asOf: string,
  threshold = HOURS_PER_YEAR,
  windowYears = 3,
) => {
  const day = lastDayMet(units, asOf, threshold, windowYears);
  return day === null ? null : isoOf(day);
};

describe("constants", () => {
  it("30 h/week is full time and 1,560 h (30 × 52) is one year", () => {
    expect(FULL_TIME_HOURS_PER_WEEK).toBe(30);
    expect(HOURS_PER_YEAR).toBe(30 * 52);
  });
});

describe("windowBefore: the days after asOf − N years, through asOf", () => {
  it.each([
    // 2026-02-19 − 3 y = 2023-02-19; the window starts the day after.
    { asOf: "2026-02-19", years: 3, from: "2023-02-20" },
    // 2028-02-29 − 3 y = 2025-02-29, which Temporal constrains to 2025-02-28; + 1 day = 2025-03-01.
    { asOf: "2028-02-29", years: 3, from: "2025-03-01" },
    // 2024-02-29 − 4 y = 2020-02-29 (a real date); + 1 day = 2020-03-01.
    { asOf: "2024-02-29", years: 4, from: "2020-03-01" },
    // 2025-03-01 − 1 y = 2024-03-01; + 1 day = 2024-03-02.
    { asOf: "2025-03-01", years: 1, from: "2024-03-02" },
    // 2025-12-31 − 10 y = 2015-12-31; + 1 day = 2016-01-01.
    { asOf: "2025-12-31", years: 10, from: "2016-01-01" },
  ])("windowBefore($asOf, $years) runs $from → $asOf", ({ asOf, years, from }) => {
    expect(windowBefore(asOf, years)).toEqual({ from: dayOf(from), to: dayOf(asOf) });
  });

  it("a 3-year window holding one 29 February has 1,096 days", () => {
    // 2023-02-20 → 2024-02-20: 365 days (29 Feb 2024 comes later); 2024-02-20 → 2025-02-20: 366 (holds it);
    // 2025-02-20 → 2026-02-20: 365. 2023-02-20 .. 2026-02-19 inclusive = 365 + 366 + 365 = 1,096 days.
    const w = windowBefore("2026-02-19", 3);
    expect(w.to - w.from + 1).toBe(1096);
  });
});

describe("hours in the window: capped at 30 h/week, both ends included", () => {
  it.each([
    {
      name: "one full-time year",
      // 2025-01-01 .. 2025-12-31 = 365 days × 30/7 = 10,950/7 = 1,564.2857 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 30)],
      hours: 1564.286,
    },
    {
      name: "40 h/week counts as 30",
      // 365 days × min(40, 30)/7 = 1,564.2857 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 40)],
      hours: 1564.286,
    },
    {
      name: "part-time 15 h/week for exactly 104 weeks",
      // 2024-01-01 .. 2025-12-28 = 366 (2024) + 362 (1 Jan–28 Dec 2025) = 728 days × 15/7 = 10,920/7 = 1,560 h.
      asOf: "2025-12-28",
      entries: [job("2024-01-01", "2025-12-28", 15)],
      hours: 1560,
    },
    {
      name: "part-time 15 h/week for two calendar years",
      // 2024-01-01 .. 2025-12-31 = 366 + 365 = 731 days × 15/7 = 10,965/7 = 1,566.4286 h.
      asOf: "2025-12-31",
      entries: [job("2024-01-01", "2025-12-31", 15)],
      hours: 1566.429,
    },
    {
      name: "two overlapping part-time jobs 20 h + 20 h are capped at 30 h/week",
      // 365 days × min(20 + 20, 30)/7 = 1,564.2857 h (each alone: 365 × 20/7 = 1,042.857 h).
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 20), job("2025-01-01", "2025-12-31", 20, NOC_B)],
      hours: 1564.286,
    },
    {
      name: "two part-time jobs 20 h + 10 h add up to exactly full time",
      // 365 days × (20 + 10)/7 = 1,564.2857 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 20), job("2025-01-01", "2025-12-31", 10, NOC_B)],
      hours: 1564.286,
    },
    {
      name: "20 h all year, a second 20 h job from 1 July (capped from then on)",
      // 1 Jan–30 Jun 2025 = 31+28+31+30+31+30 = 181 days × 20/7; 1 Jul–31 Dec = 184 days × min(40, 30)/7.
      // (181 × 20 + 184 × 30)/7 = (3,620 + 5,520)/7 = 9,140/7 = 1,305.7143 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 20), job("2025-07-01", "2025-12-31", 20, NOC_B)],
      hours: 1305.714,
    },
    {
      name: "20 h all year, a second 5 h job from 1 July (under the cap, adds up)",
      // (181 × 20 + 184 × 25)/7 = (3,620 + 4,600)/7 = 8,220/7 = 1,174.2857 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-31", 20), job("2025-07-01", "2025-12-31", 5, NOC_B)],
      hours: 1174.286,
    },
    {
      name: "two full-time jobs sharing one day count that day once",
      // 2025-01-01 .. 2025-06-30 and 2025-06-30 .. 2025-12-31: union = 365 days × 30/7 = 1,564.2857 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-06-30", 30), job("2025-06-30", "2025-12-31", 30)],
      hours: 1564.286,
    },
    {
      name: "a gap between jobs counts nothing",
      // 1 Jan–31 Mar 2025 = 31+28+31 = 90 days; 1 May–30 Jun = 31+30 = 61 days; April is a gap.
      // (90 + 61) × 30/7 = 151 × 30/7 = 4,530/7 = 647.1429 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-03-31", 30), job("2025-05-01", "2025-06-30", 30)],
      hours: 647.143,
    },
    // Window edges: asOf 2026-02-19, 3 years → 2023-02-20 .. 2026-02-19.
    {
      name: "a job ending the day before the window starts contributes 0",
      asOf: "2026-02-19",
      entries: [job("2023-01-01", "2023-02-19", 30)],
      hours: 0,
    },
    {
      name: "a job ending on the first window day contributes that day",
      // 1 day × 30/7 = 4.2857 h.
      asOf: "2026-02-19",
      entries: [job("2023-01-01", "2023-02-20", 30)],
      hours: 4.286,
    },
    {
      name: "a one-day job on the first window day counts that day",
      asOf: "2026-02-19",
      entries: [job("2023-02-20", "2023-02-20", 30)],
      hours: 4.286,
    },
    {
      name: "asOf itself counts (ongoing job starting on asOf)",
      asOf: "2026-02-19",
      entries: [job("2026-02-19", null, 30)],
      hours: 4.286,
    },
    {
      name: "asOf itself counts (one-day job on asOf)",
      asOf: "2026-02-19",
      entries: [job("2026-02-19", "2026-02-19", 30)],
      hours: 4.286,
    },
    {
      name: "an ongoing job starting after asOf contributes nothing",
      asOf: "2026-02-19",
      entries: [job("2026-02-20", null, 30)],
      hours: 0,
    },
    {
      name: "an ended job starting after asOf contributes nothing",
      asOf: "2026-02-19",
      entries: [job("2026-02-20", "2026-12-31", 30)],
      hours: 0,
    },
    {
      name: "an ongoing job is clipped at asOf",
      // 2026-01-01 .. 2026-02-19 = 31 + 19 = 50 days × 30/7 = 1,500/7 = 214.2857 h.
      asOf: "2026-02-19",
      entries: [job("2026-01-01", null, 30)],
      hours: 214.286,
    },
    {
      name: "a job whose end date is after asOf is clipped at asOf",
      // 2026-02-01 .. 2026-02-19 = 19 days × 30/7 = 570/7 = 81.4286 h.
      asOf: "2026-02-19",
      entries: [job("2026-02-01", "2026-12-31", 30)],
      hours: 81.429,
    },
    {
      name: "a job covering the whole window counts the window's 1,096 days",
      // 1,096 days × 30/7 = 32,880/7 = 4,697.1429 h.
      asOf: "2026-02-19",
      entries: [job("2020-01-01", null, 30)],
      hours: 4697.143,
    },
    // Leap years.
    {
      name: "2024 has 366 days",
      // 366 × 30/7 = 10,980/7 = 1,568.5714 h.
      asOf: "2024-12-31",
      entries: [job("2024-01-01", "2024-12-31", 30)],
      hours: 1568.571,
    },
    {
      name: "28 Feb – 1 Mar 2024 holds 29 Feb (3 days)",
      // 3 × 30/7 = 90/7 = 12.8571 h.
      asOf: "2024-12-31",
      entries: [job("2024-02-28", "2024-03-01", 30)],
      hours: 12.857,
    },
    {
      name: "28 Feb – 1 Mar 2025 is 2 days",
      // 2 × 30/7 = 60/7 = 8.5714 h.
      asOf: "2025-12-31",
      entries: [job("2025-02-28", "2025-03-01", 30)],
      hours: 8.571,
    },
    // The 1,560-hour threshold.
    {
      name: "364 days full time are exactly 1,560 h",
      // 2025-01-01 .. 2025-12-30 = 364 days × 30/7 = 10,920/7 = 1,560 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-30", 30)],
      hours: 1560,
    },
    {
      name: "363 days full time fall short",
      // 2025-01-01 .. 2025-12-29 = 363 days × 30/7 = 10,890/7 = 1,555.7143 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-29", 30)],
      hours: 1555.714,
    },
    {
      name: "364 days at 29.99 h/week fall short",
      // 364 × 29.99/7 = 52 × 29.99 = 1,559.48 h.
      asOf: "2025-12-31",
      entries: [job("2025-01-01", "2025-12-30", 29.99)],
      hours: 1559.48,
    },
  ])("$name", ({ asOf, entries, hours }) => {
    expect(hoursWithin(entries, asOf)).toBeCloseTo(hours, 3);
  });

  it("turns hours into complete years: one full-time year is 1 year", () => {
    // 1,564.286 / 1,560 = 1.003 → 1 complete year.
    expect(completeYears(hoursWithin([job("2025-01-01", "2025-12-31", 30)], "2025-12-31"))).toBe(1);
  });

  it.each([
    { name: "364 days full time (1,560 h)", end: "2025-12-30", perWeek: 30, years: 1 },
    { name: "363 days full time (1,555.714 h)", end: "2025-12-29", perWeek: 30, years: 0 },
    { name: "364 days at 29.99 h/week (1,559.48 h)", end: "2025-12-30", perWeek: 29.99, years: 0 },
  ])("$name → $years complete year(s)", ({ end, perWeek, years }) => {
    expect(completeYears(hoursWithin([job("2025-01-01", end, perWeek)], "2025-12-31"))).toBe(years);
  });

  it.each([
    { hours: 0, years: 0 },
    { hours: 1559, years: 0 },
    { hours: 1559.9, years: 0 },
    { hours: 1559.999, years: 0 },
    { hours: 1560, years: 1 },
    { hours: 3119.999, years: 1 },
    { hours: 3120, years: 2 },
    // 1,096 days × 30/7 = 4,697.143 h ≥ 3 × 1,560 = 4,680 → 3 years.
    { hours: 4697.143, years: 3 },
  ])("completeYears($hours) = $years", ({ hours, years }) => {
    expect(completeYears(hours)).toBe(years);
  });

  it("spans drops jobs the caller's filter refuses and jobs without hours", () => {
    const entries = [
      { ...job("2025-01-01", "2025-06-30", 30), selfEmployed: true },
      job("2025-07-01", "2025-12-31", 0),
    ];
    expect(spans(entries, "2025-12-31", (e) => !e.selfEmployed)).toEqual([]);
    // Without the filter only the first job is left: 181 days × 30/7 = 5,430/7 = 775.714 h.
    expect(cappedHours(spans(entries, "2025-12-31", all), windowBefore("2025-12-31", 3))).toBeCloseTo(
      775.714,
      3,
    );
  });

  it("the timeline turns a job into inclusive day numbers at hoursPerWeek units (sevenths of an hour) a day", () => {
    const [s] = spans([job("2025-01-01", null, 35)], "2025-03-01", all);
    expect(s).toMatchObject({
      from: dayOf("2025-01-01"),
      to: dayOf("2025-03-01"),
      rate: 35,
      noc: NOC_A,
    });
    expect(unitsToHours(s?.rate ?? 0)).toBe(5);
  });

  it("no spans → 0 hours", () => {
    expect(cappedHours([], windowBefore("2025-12-31", 3))).toBe(0);
  });
  // An end date before the start date cannot occur: the profile schema refuses it, so it is not tested here.
});

describe("hoursByNoc: occupations kept apart", () => {
  const window = windowBefore("2025-12-31", 3);

  it("12 months split 6/6 over two NOCs: each under 1,560 h, together over", () => {
    // NOC A 2025-01-01 .. 2025-06-30 = 181 days × 30/7 = 5,430/7 = 775.714 h;
    // NOC B 2025-07-01 .. 2025-12-31 = 184 days × 30/7 = 5,520/7 = 788.571 h; together 365 days = 1,564.286 h.
    const list = spans(
      [job("2025-01-01", "2025-06-30", 30, NOC_A), job("2025-07-01", "2025-12-31", 30, NOC_B)],
      "2025-12-31",
      all,
    );
    const per = hoursByNoc(list, window);
    expect([...per.keys()].sort()).toEqual([NOC_A, NOC_B]);
    expect(per.get(NOC_A)).toBeCloseTo(775.714, 3);
    expect(per.get(NOC_B)).toBeCloseTo(788.571, 3);
    for (const h of per.values()) expect(h).toBeLessThan(HOURS_PER_YEAR);
    expect(cappedHours(list, window)).toBeCloseTo(1564.286, 3);
  });

  it("overlapping jobs in one NOC are capped at 30 h/week within that NOC", () => {
    // 20 h + 20 h all 2025 in NOC A: 365 × 30/7 = 1,564.286 h; NOC B 10 h all 2025: 365 × 10/7 = 521.429 h.
    const list = spans(
      [
        job("2025-01-01", "2025-12-31", 20, NOC_A),
        job("2025-01-01", "2025-12-31", 20, NOC_A),
        job("2025-01-01", "2025-12-31", 10, NOC_B),
      ],
      "2025-12-31",
      all,
    );
    const per = hoursByNoc(list, window);
    expect(per.get(NOC_A)).toBeCloseTo(1564.286, 3);
    expect(per.get(NOC_B)).toBeCloseTo(521.429, 3);
  });
});

describe("continuous stretches: the longest stretch without a day off, per NOC", () => {
  const asOf = "2024-12-31";
  const continuous = (entries: WorkEntry[]) => continuousByNoc(entries, asOf, 10);

  it("a one-day gap breaks continuity", () => {
    // 2024-01-01 .. 2024-06-29 = 31+29+31+30+31+29 = 181 days (775.714 h); 30 June is a gap;
    // 2024-07-01 .. 2024-12-31 = 184 days × 30/7 = 5,520/7 = 788.571 h → the best stretch.
    const per = continuous([job("2024-01-01", "2024-06-29"), job("2024-07-01", "2024-12-31")]);
    expect(per.get(NOC_A)).toBeCloseTo(788.571, 3);
  });

  it("back-to-back jobs (end 2024-06-30, next start 2024-07-01) are continuous", () => {
    // 182 + 184 = 366 days × 30/7 = 10,980/7 = 1,568.571 h.
    const per = continuous([job("2024-01-01", "2024-06-30"), job("2024-07-01", "2024-12-31")]);
    expect(per.get(NOC_A)).toBeCloseTo(1568.571, 3);
  });

  it("overlapping same-NOC jobs are one stretch, capped at 30 h/week", () => {
    // 2024-01-01 .. 2024-08-31 and 2024-06-01 .. 2024-12-31 cover all 366 days of 2024 → 1,568.571 h
    // (not 30 h + 30 h over June–August).
    const per = continuous([job("2024-01-01", "2024-08-31"), job("2024-06-01", "2024-12-31")]);
    expect(per.get(NOC_A)).toBeCloseTo(1568.571, 3);
  });

  it("a job in another NOC does not bridge a gap", () => {
    // NOC A: 181 days then a gap on 2024-06-30 then 184 days → best 788.571 h; NOC B works only
    // 2024-06-30: 1 day × 30/7 = 4.286 h.
    const per = continuous([
      job("2024-01-01", "2024-06-29", 30, NOC_A),
      job("2024-06-30", "2024-06-30", 30, NOC_B),
      job("2024-07-01", "2024-12-31", 30, NOC_A),
    ]);
    expect(per.get(NOC_A)).toBeCloseTo(788.571, 3);
    expect(per.get(NOC_B)).toBeCloseTo(4.286, 3);
  });

  it("a stretch is cut at the window's edges", () => {
    // Window of 1 year before 2025-12-31: 2025-01-01 .. 2025-12-31 = 365 days × 30/7 = 1,564.286 h.
    const per = continuousByNoc([job("2020-01-01", null)], "2025-12-31", 1);
    expect(per.get(NOC_A)).toBeCloseTo(1564.286, 3);
  });
});

describe("the last day met: until when 1,560 h within 3 years stay met", () => {
  it("full time 2023-01-01 .. 2024-06-30 in one NOC, asOf 2025-01-01 → 2026-07-02", () => {
    // On asOf the window is 2022-01-02 .. 2025-01-01 and holds the whole job:
    // 365 (2023) + 182 (1 Jan–30 Jun 2024) = 547 days × 30/7 = 2,344.29 h ≥ 1,560.
    // Later, remaining hours at day D = (2024-06-30 − windowStart(D) + 1) × 30/7 ≥ 1,560 ⇔ ≥ 364 days.
    // 2023-06-30 → 2024-06-30 is 366 days (holds 29 Feb 2024), so 2024-06-30 − 363 days = 2023-07-03:
    // 2023-07-03 .. 2024-06-30 = 364 days (exactly 1,560 h). windowStart(D) = (D − 3 y) + 1 ≤ 2023-07-03
    // ⇔ D − 3 y ≤ 2023-07-02 ⇔ D ≤ 2026-07-02. On 2026-07-03 the window starts 2023-07-04: 363 days,
    // 1,555.714 h.
    const entries = [job("2023-01-01", "2024-06-30")];
    expect(hoursWithin(entries, "2025-01-01")).toBeCloseTo(2344.286, 3);
    expect(hoursWithin(entries, "2026-07-02")).toBeCloseTo(1560, 3);
    expect(hoursWithin(entries, "2026-07-03")).toBeCloseTo(1555.714, 3);
    expect(lastDayIso(perNoc(entries), "2025-01-01")).toBe("2026-07-02");
  });

  it("an ongoing full-time job never lapses → null", () => {
    expect(lastDayIso(perNoc([job("2023-01-01", null)]), "2025-01-01")).toBeNull();
    expect(lastDayIso(stretches([job("2023-01-01", null)]), "2025-01-01")).toBeNull();
  });

  it("met on asOf only → asOf", () => {
    // asOf 2025-01-01: window 2022-01-02 .. 2025-01-01; job 2022-01-02 .. 2022-12-31 = 364 days = 1,560 h.
    // On 2025-01-02 the window starts 2022-01-03: 363 days.
    expect(lastDayIso(perNoc([job("2022-01-02", "2022-12-31")]), "2025-01-01")).toBe("2025-01-01");
  });

  it("not met on asOf → the day before asOf", () => {
    // 2024-07-01 .. 2024-12-31 = 184 days × 30/7 = 788.571 h < 1,560.
    expect(lastDayIso(perNoc([job("2024-07-01", "2024-12-31")]), "2025-01-01")).toBe("2024-12-31");
  });

  it("not met on asOf but met later (a job going on) → still the day before asOf", () => {
    // Ongoing from 2024-07-01: 185 days on asOf; it reaches 364 days only on 2025-06-29.
    expect(lastDayIso(perNoc([job("2024-07-01", null)]), "2025-01-01")).toBe("2024-12-31");
  });

  describe("two NOCs: each one a separate unit", () => {
    // NOC A full time 2022-01-01 .. 2023-06-30. On asOf 2025-01-01 (window 2022-01-02 ..) it has
    // 364 (2 Jan–31 Dec 2022) + 181 (Jan–Jun 2023) = 545 days ≥ 364. Jul 2022 – Jun 2023 holds no 29 Feb,
    // so 2023-06-30 − 363 days = 2022-07-02 (2022-07-02 .. 2023-06-30 = 364 days): windowStart ≤ 2022-07-02
    // ⇔ D ≤ 2025-07-01. Alone, NOC A lapses after 2025-07-01.
    const a = job("2022-01-01", "2023-06-30", 30, NOC_A);

    it("NOC A alone lasts through 2025-07-01", () => {
      expect(lastDayIso(perNoc([a]), "2025-01-01")).toBe("2025-07-01");
    });

    it("a later NOC B that already qualifies keeps it going to its own lapse", () => {
      // NOC B full time 2023-07-01 .. 2024-12-31: 2024-12-31 − 366 days = 2023-12-31 (holds 29 Feb 2024),
      // so 2024-12-31 − 363 = 2024-01-03 and 2024-01-03 .. 2024-12-31 = 364 days: windowStart ≤ 2024-01-03
      // ⇔ D ≤ 2027-01-02. B has 364 days from 2023-07-01 + 363 = 2024-06-28 on, so it qualifies on asOf.
      const b = job("2023-07-01", "2024-12-31", 30, NOC_B);
      expect(lastDayIso(perNoc([a, b]), "2025-01-01")).toBe("2027-01-02");
    });

    it("NOC B qualifying from the day after A's lapse carries on (ongoing → null)", () => {
      // B ongoing from 2024-07-04: 2024-07-04 .. 2025-07-02 = 364 days (no 29 Feb in between), so B
      // qualifies from 2025-07-02 = A's last day + 1, and for ever after.
      const b = job("2024-07-04", null, 30, NOC_B);
      expect(lastDayIso(perNoc([a, b]), "2025-01-01")).toBeNull();
    });

    it("NOC B qualifying two days after A's lapse leaves a gap → A's lapse", () => {
      // B ongoing from 2024-07-05 reaches 364 days on 2025-07-03; 2025-07-02 qualifies in neither NOC.
      const b = job("2024-07-05", null, 30, NOC_B);
      expect(lastDayIso(perNoc([a, b]), "2025-01-01")).toBe("2025-07-01");
    });

    it("a later NOC B that lapses first does not shorten A", () => {
      // B 2022-01-02 .. 2022-12-31 in NOC B: 364 days, met on asOf only. A still lasts through 2025-07-01.
      const b = job("2022-01-02", "2022-12-31", 30, NOC_B);
      expect(lastDayIso(perNoc([a, b]), "2025-01-01")).toBe("2025-07-01");
    });
  });

  describe("continuous units (continuousStretches) versus one unit per NOC", () => {
    it("two halves of 2024 with a one-day gap: 1,560 h in total but no continuous year", () => {
      // 2024-01-01 .. 2024-06-29 = 181 days and 2024-07-01 .. 2024-12-31 = 184 days: 365 days = 1,564.286 h.
      // Non-continuous: 365 days ≥ 364 while the window starts ≤ 2024-01-02 (loses only 1 Jan):
      // (D − 3 y) + 1 ≤ 2024-01-02 ⇔ D ≤ 2027-01-01.
      // Continuous: the stretches have 181 and 184 days, both < 364 → not met on asOf → 2024-12-31.
      const list = [job("2024-01-01", "2024-06-29"), job("2024-07-01", "2024-12-31")];
      expect(stretches(list)).toHaveLength(2);
      expect(lastDayIso(perNoc(list), "2025-01-01")).toBe("2027-01-01");
      expect(lastDayIso(stretches(list), "2025-01-01")).toBe("2024-12-31");
    });

    it("back-to-back jobs form one stretch", () => {
      // 2024-01-01 .. 2024-06-30 + 2024-07-01 .. 2024-12-31 = 366 days. ≥ 364 days while the window
      // starts ≤ 2024-01-03 ⇔ D − 3 y ≤ 2024-01-02 ⇔ D ≤ 2027-01-02 (window 2024-01-03 .. 2024-12-31 = 364).
      const list = [job("2024-01-01", "2024-06-30"), job("2024-07-01", "2024-12-31")];
      expect(stretches(list)).toHaveLength(1);
      expect(lastDayIso(stretches(list), "2025-01-01")).toBe("2027-01-02");
      expect(lastDayIso(perNoc(list), "2025-01-01")).toBe("2027-01-02");
    });

    it("a later stretch keeps it going after the first one lapses", () => {
      // Stretch 1: 2022-01-01 .. 2023-06-30 lasts through 2025-07-01 (as in the two-NOC case).
      // Stretch 2 (same NOC, one-day gap on 2023-07-01): 2023-07-02 .. 2024-12-31, already ≥ 364 days,
      // lasts while the window starts ≤ 2024-01-03 ⇔ D ≤ 2027-01-02.
      const list = [job("2022-01-01", "2023-06-30"), job("2023-07-02", "2024-12-31")];
      expect(stretches(list)).toHaveLength(2);
      expect(lastDayIso(stretches(list), "2025-01-01")).toBe("2027-01-02");
    });

    it("overlapping same-NOC jobs are one stretch, capped", () => {
      // 2023-01-01 .. 2023-12-31 at 30 h and 2023-07-01 .. 2024-06-30 at 30 h: one stretch 2023-01-01 ..
      // 2024-06-30, capped at 30 h/week, so the same lapse as one job over those dates: 2026-07-02.
      const list = [job("2023-01-01", "2023-12-31"), job("2023-07-01", "2024-06-30")];
      expect(stretches(list)).toHaveLength(1);
      expect(lastDayIso(stretches(list), "2025-01-01")).toBe("2026-07-02");
    });
  });

  // The window's length changes too (1,096 days while it holds a 29 February, 1,095 otherwise). An
  // ongoing 9.97 h/week job has 1,096 × 9.97/7 = 1,561.017 h in a 1,096-day window and
  // 1,095 × 9.97/7 = 1,559.593 h in a 1,095-day one. asOf 2026-06-01: windows up to D = 2027-02-28
  // (2024-02-29 .. 2027-02-28) hold 29 Feb 2024; D = 2027-03-01 → 2024-03-02 .. 2027-03-01 = 1,095 days.
  it("an ongoing part-time job just over the threshold lapses when the window loses 29 February", () => {
    const entries = [job("2020-01-01", null, 9.97)];
    expect(hoursWithin(entries, "2027-02-28")).toBeCloseTo(1561.017, 3);
    expect(hoursWithin(entries, "2027-03-01")).toBeCloseTo(1559.593, 3);
    expect(lastDayIso(together(entries), "2026-06-01")).toBe("2027-02-28");
  });
});

describe("properties", () => {
  const FIRST = dayOf("2018-01-01");
  const LAST = dayOf("2027-12-31");
  const entry = fc
    .record({
      start: fc.integer({ min: FIRST, max: LAST }),
      length: fc.integer({ min: 0, max: 1500 }),
      ongoing: fc.boolean(),
      hoursPerWeek: fc.integer({ min: 1, max: 60 }),
      noc: fc.constantFrom(NOC_A, NOC_B, "31102"),
    })
    .map(({ start, length, ongoing, hoursPerWeek, noc }) =>
      job(isoOf(start), ongoing ? null : isoOf(start + length), hoursPerWeek, noc),
    );
  const entries = fc.array(entry, { maxLength: 8 });
  const asOf = fc.integer({ min: FIRST, max: LAST }).map(isoOf);
  const years = fc.constantFrom(1, 3, 5, 10);
  const EPS = 1e-6;

  it("cappedHours never exceeds 30/7 h × the days in the window", () => {
    fc.assert(
      fc.property(entries, asOf, years, (list, day, n) => {
        const w = windowBefore(day, n);
        expect(hoursWithin(list, day, n)).toBeLessThanOrEqual(((w.to - w.from + 1) * 30) / 7 + EPS);
      }),
    );
  });

  it("adding a job never lowers cappedHours", () => {
    fc.assert(
      fc.property(entries, entry, asOf, years, (list, extra, day, n) => {
        expect(hoursWithin([...list, extra], day, n)).toBeGreaterThanOrEqual(hoursWithin(list, day, n) - EPS);
      }),
    );
  });

  it("cappedHours of the union ≤ the sum of each job's own hours, ≥ the largest", () => {
    fc.assert(
      fc.property(entries, asOf, years, (list, day, n) => {
        const union = hoursWithin(list, day, n);
        const own = list.map((e) => hoursWithin([e], day, n));
        expect(union).toBeLessThanOrEqual(own.reduce((a, b) => a + b, 0) + EPS * list.length);
        expect(union).toBeGreaterThanOrEqual(Math.max(0, ...own) - EPS);
      }),
    );
  });

  it("per NOC: continuous ≤ hoursByNoc ≤ all jobs together", () => {
    fc.assert(
      fc.property(entries, asOf, years, (list, day, n) => {
        const s = spans(list, day, all);
        const w = windowBefore(day, n);
        const total = cappedHours(s, w);
        const per = hoursByNoc(s, w);
        const cont = continuousByNoc(list, day, n);
        for (const [noc, h] of per) {
          expect(h).toBeLessThanOrEqual(total + EPS);
          expect(cont.get(noc) ?? 0).toBeLessThanOrEqual(h + EPS);
        }
      }),
    );
  });

  it("a one-day job inside the window adds hoursPerWeek/7 capped at 30/7 when alone", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), asOf, (perWeek, day) => {
        expect(hoursWithin([job(day, day, perWeek)], day)).toBeCloseTo(Math.min(perWeek, 30) / 7, 3);
      }),
    );
  });

  it("the last day met agrees with a day-by-day walk from asOf (full-hour jobs)", () => {
    // Whole hours per week keep clear of the 29 February window-length edge case reported above: no whole
    // number of hours a week lands in the one-day band between a 1,095- and a 1,096-day window.
    const wholeHours = fc
      .record({
        start: fc.integer({ min: dayOf("2019-01-01"), max: LAST }),
        length: fc.integer({ min: 0, max: 1200 }),
        ongoing: fc.boolean(),
        hoursPerWeek: fc.integer({ min: 1, max: 40 }),
        noc: fc.constantFrom(NOC_A, NOC_B),
      })
      .map(({ start, length, ongoing, hoursPerWeek, noc }) =>
        job(isoOf(start), ongoing ? null : isoOf(start + length), hoursPerWeek, noc),
      );
    fc.assert(
      fc.property(
        fc.array(wholeHours, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: dayOf("2022-01-01"), max: LAST }).map(isoOf),
        fc.constantFrom(1, 3, 5),
        fc.constantFrom(780, 1560, 3120),
        fc.constantFrom("per NOC", "continuous", "all together"),
        (list, day, n, threshold, grouping) => {
          const units =
            grouping === "per NOC"
              ? perNoc(list)
              : grouping === "continuous"
                ? stretches(list)
                : together(list);
          const start = dayOf(day);
          const horizon = dayOf(addYears(day, n + 1));
          let expected: number | null = null;
          for (let d = start; d <= horizon; d++) {
            if (!units.some((u) => unitsToHours(unitsInWindow(u, n, d)) >= threshold - 1e-9)) {
              expected = d - 1;
              break;
            }
          }
          const found = lastDayMet(units, day, threshold, n);
          // Met through the walk's horizon: the engine's lapse, if any, comes after it.
          if (expected === null) expect(found === null || found >= horizon).toBe(true);
          else expect(found).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("windowBefore starts the day after asOf − N years", () => {
    fc.assert(
      fc.property(asOf, years, (day, n) => {
        expect(windowBefore(day, n).from).toBe(dayOf(addYears(day, -n)) + 1);
      }),
    );
  });
});
