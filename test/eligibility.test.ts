/**
 * Program eligibility (FSW, CEC, FST) and category-based selection, every rule at its boundary.
 * Expected values are derived by hand from the reference notes (shared/reference/express-entry-rules.md):
 * §1.7 work counting, §3.1 FSW (+ §3.1.1 funds), §3.2 CEC, §3.3 FST, §4 categories; calculator-bugs B12, B15.
 *
 * Work arithmetic (§1.7): 1 year = 1,560 h = 30 h/week × 52 weeks; hours above 30 a week never count, so a
 * job of 30+ h/week earns 30/7 h per calendar day (both ends included) and 364 days make exactly 1,560 h.
 * 6 months = 1,560 / 2 = 780 h = 182 full-time days; 2 years = 3,120 h = 728 days.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CategoryResult, EligibilityReport, ProfileInput, ProgramResult } from "../src/index.js";
import { eligibilityOf } from "../src/domain/eligibility/report.js";
import { defaultRuleBook } from "../src/index.js";
import { celpip, tcf } from "./helpers.js";

const AS_OF = "2026-06-01";
const book = defaultRuleBook();

type Job = NonNullable<ProfileInput["workHistory"]>[number];
type LanguageTest = NonNullable<ProfileInput["languageTests"]>[number];

/** A full-time job (40 h/week, counted as 30) abroad unless overridden. */
function job(noc: string, start: string, end: string | null, extra: Partial<Job> = {}): Job {
  return { noc, country: "IN", start, end, hoursPerWeek: 40, ...extra };
}
const inCanada = (noc: string, start: string, end: string | null, extra: Partial<Job> = {}) =>
  job(noc, start, end, { country: "CA", ...extra });

/**
 * The base candidate: 30 on 2026-06-01 (born 1996-01-15), single, Canadian master's (no ECA needed),
 * CELPIP 9 in all four taken 2025-01-10 (valid until 2027-01-09: results are valid while under 2 years
 * old), CAD 100,000, alone; no work history.
 */
function profile(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    dateOfBirth: "1996-01-15",
    maritalStatus: "single",
    education: { level: "masters", obtainedIn: "canada" },
    languageTests: [celpip(9, 9, 9, 9, "2025-01-10")],
    workHistory: [],
    settlementFunds: 100_000,
    familySize: 1,
    ...overrides,
  };
}

/**
 * A job that puts the base candidate in the pool through FSW without touching any category list:
 * 11100 Financial auditors and accountants (TEER 1, on no category list), abroad, 2015-01-01 → 2019-12-31.
 * Within 10 years of any as-of date used here (2024-06-01 … 2026-11-21) it holds well over 1,560 h
 * continuous; grid: masters 23 + CLB 9 ×4 = 24 + age 12 + ≥ 2 years 11 = 70+ ≥ 67.
 */
const POOL_JOB = job("11100", "2015-01-01", "2019-12-31");

function evaluate(input: ProfileInput, asOf = AS_OF): EligibilityReport {
  const r = eligibilityOf(input, { asOf, book, today: () => asOf });
  if (r.status !== "evaluated") throw new Error(`expected an evaluation, got ${JSON.stringify(r)}`);
  return r;
}
function program(r: EligibilityReport, name: "FSW" | "CEC" | "FST"): ProgramResult {
  const p = r.programs.find((x) => x.program === name);
  if (!p) throw new Error(`no ${name} in the report`);
  return p;
}
function check(p: ProgramResult | CategoryResult, id: string): boolean {
  const c = p.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${"program" in p ? p.program : p.id}`);
  return c.met;
}
function category(r: EligibilityReport, id: string): CategoryResult {
  const c = r.categories.find((x) => x.id === id);
  if (!c)
    throw new Error(
      `category ${id} is not in force on ${r.asOf}: ${r.categories.map((x) => x.id).join(", ")}`,
    );
  return c;
}
const fsw = (p: ProfileInput, asOf = AS_OF) => program(evaluate(p, asOf), "FSW");
const cec = (p: ProfileInput, asOf = AS_OF) => program(evaluate(p, asOf), "CEC");
const fst = (p: ProfileInput, asOf = AS_OF) => program(evaluate(p, asOf), "FST");
function grid(p: ProfileInput, asOf = AS_OF): Record<string, number> {
  const lines = fsw(p, asOf).grid?.lines ?? [];
  return Object.fromEntries(lines.map((l) => [l.factor, l.points]));
}

// ---------------------------------------------------------------------------------------------------
describe("FSW — 1 year continuous skilled work in one occupation within 10 years (§3.1)", () => {
  // 21231 Software engineers (TEER 1), abroad.
  it("364 full-time days (2020-01-01 → 2020-12-29) = 364 × 30/7 = 1,560 h: met", () => {
    // 2020 is a leap year: Jan 1 → Nov 30 = 335 days, + 29 days of December = 364.
    expect(
      check(fsw(profile({ workHistory: [job("21231", "2020-01-01", "2020-12-29")] })), "experience"),
    ).toBe(true);
  });
  it("one day short (→ 2020-12-28, 363 days = 1,555.7 h): not met", () => {
    expect(
      check(fsw(profile({ workHistory: [job("21231", "2020-01-01", "2020-12-28")] })), "experience"),
    ).toBe(false);
  });
  it("part-time adds up: 15 h/week for 728 days = 728 × 15/7 = 1,560 h, continuous: met", () => {
    // 2020-01-01 → 2021-12-28: 366 (2020) + 362 (2021 to Dec 28) = 728 days.
    const p = profile({ workHistory: [job("21231", "2020-01-01", "2021-12-28", { hoursPerWeek: 15 })] });
    expect(check(fsw(p), "experience")).toBe(true);
  });
  it("a 2-day gap splits a year into two halves: not continuous, not met", () => {
    // 2020-01-01 → 06-30 (182 days) and 2020-07-03 → 2021-01-05 (29+31+30+31+30+31+5 = 187 days):
    // 369 days in all (1,581 h) but the longest continuous stretch is 187 × 30/7 = 801.4 h < 1,560.
    const split = profile({
      workHistory: [job("21231", "2020-01-01", "2020-06-30"), job("21231", "2020-07-03", "2021-01-05")],
    });
    expect(check(fsw(split), "experience")).toBe(false);
    // The same two jobs back to back (second from 2020-07-01): 182 + 189 = 371 days continuous: met.
    const joined = profile({
      workHistory: [job("21231", "2020-01-01", "2020-06-30"), job("21231", "2020-07-01", "2021-01-05")],
    });
    expect(check(fsw(joined), "experience")).toBe(true);
  });
  it("two occupations 6 + 6 months back to back: not one occupation, not met", () => {
    // 21231 2020-01-01 → 06-30 (182 days = 780 h) then 21211 Data scientists 2020-07-01 → 12-31 (184 days
    // = 788.6 h): continuous in time but the best single occupation has 788.6 h < 1,560.
    const p = profile({
      workHistory: [job("21231", "2020-01-01", "2020-06-30"), job("21211", "2020-07-01", "2020-12-31")],
    });
    expect(check(fsw(p), "experience")).toBe(false);
  });
  it("within 10 years: only the days after asOf − 10 years count", () => {
    // As of 2026-06-01 the window starts 2016-06-02; 2015-06-03 → 2017-05-31 has 364 days in it
    // (2016-06-02 → 2017-05-31, no 29 February inside) = 1,560 h: met. As of 2026-06-02 the window
    // starts 2016-06-03: 363 days: not met.
    const p = profile({ workHistory: [job("21231", "2015-06-03", "2017-05-31")] });
    expect(check(fsw(p, "2026-06-01"), "experience")).toBe(true);
    expect(check(fsw(p, "2026-06-02"), "experience")).toBe(false);
  });
  it("TEER 4 work is not skilled: not met", () => {
    // 14100 General office support workers (TEER 4), three full years.
    expect(
      check(fsw(profile({ workHistory: [job("14100", "2020-01-01", "2022-12-31")] })), "experience"),
    ).toBe(false);
  });
});

describe("FSW — CLB 7 in all four abilities (§3.1)", () => {
  const work = [job("21231", "2020-01-01", "2022-12-31")];
  it("CLB 7/7/7/7: met", () => {
    expect(
      check(
        fsw(profile({ workHistory: work, languageTests: [celpip(7, 7, 7, 7, "2025-01-10")] })),
        "language",
      ),
    ).toBe(true);
  });
  it.each([
    [6, 7, 7, 7],
    [7, 6, 7, 7],
    [7, 7, 6, 7],
    [7, 7, 7, 6],
  ])("CELPIP %i/%i/%i/%i (one ability CLB 6): not met", (s, l, r, w) => {
    const p = profile({ workHistory: work, languageTests: [celpip(s, l, r, w, "2025-01-10")] });
    const result = fsw(p);
    expect(check(result, "language")).toBe(false);
    expect(result.eligible).toBe(false);
  });
  it("an expired test (2024-05-31, two years old on 2026-05-31) does not count on 2026-06-01", () => {
    const p = profile({ workHistory: work, languageTests: [celpip(9, 9, 9, 9, "2024-05-31")] });
    expect(check(fsw(p, "2026-05-30"), "language")).toBe(true);
    expect(check(fsw(p, "2026-06-01"), "language")).toBe(false);
  });
});

describe("FSW — education: Canadian credential, or foreign credential with an ECA under 5 years old (§3.1)", () => {
  const work = [job("21231", "2020-01-01", "2022-12-31")];
  const abroad = (ecaDate: string) =>
    profile({ workHistory: work, education: { level: "masters", obtainedIn: "abroad", ecaDate } });
  it("Canadian credential needs no ECA", () => {
    const r = fsw(profile({ workHistory: work, education: { level: "bachelors", obtainedIn: "canada" } }));
    expect(check(r, "education")).toBe(true);
    expect(r.eligible).toBe(true);
  });
  it("ECA of 2021-06-02 is under 5 years old on 2026-06-01 (it turns 5 on 2026-06-02): met", () => {
    const r = fsw(abroad("2021-06-02"));
    expect(check(r, "education")).toBe(true);
    expect(r.eligible).toBe(true);
  });
  it("ECA of 2021-06-01 is 5 years old on 2026-06-01: expired, not met", () => {
    const r = fsw(abroad("2021-06-01"));
    expect(check(r, "education")).toBe(false);
    expect(r.eligible).toBe(false);
  });
});

describe("FSW — the 67-point grid (B12: IRPR ss.78-83, reference §3.1)", () => {
  // Experience for the grid: skilled paid work within 10 years, in complete years of 1,560 h. Whole
  // calendar years of full-time work ending 2025-12-31: k years = 365k (+ leap days) days, which is
  // ≥ 364k and < 364(k+1), so floor(days × 30/7 / 1,560) = k.
  it.each([
    ["none", 0],
    ["secondary", 5],
    ["one-year", 15],
    ["two-year", 19],
    ["bachelors", 21],
    ["two-or-more", 22],
    ["masters", 23],
    ["doctoral", 25],
  ] as const)("education %s → %i", (level, points) => {
    expect(grid(profile({ education: { level, obtainedIn: "canada" } }))["fsw.education"]).toBe(points);
  });

  it.each([
    // CLB 7 = 4, CLB 8 = 5, CLB 9+ = 6 per ability; below 7 = 0.
    [[6, 6, 6, 6], 0],
    [[7, 7, 7, 7], 16],
    [[8, 8, 8, 8], 20],
    [[9, 9, 9, 9], 24],
    [[10, 10, 10, 10], 24],
    [[10, 9, 8, 7], 21], // 6 + 6 + 5 + 4
    [[9, 8, 7, 6], 15], // 6 + 5 + 4 + 0
  ] as const)("first official language CELPIP %j → %i", (clb, points) => {
    const [s, l, r, w] = clb;
    expect(grid(profile({ languageTests: [celpip(s, l, r, w, "2025-01-10")] }))["fsw.language"]).toBe(points);
  });

  it("second official language: 4 points only with CLB/NCLC 5+ in all four; the factor caps at 28", () => {
    const withFrench = (french: ReturnType<typeof tcf>, english = celpip(9, 9, 9, 9, "2025-01-10")) =>
      grid(profile({ languageTests: [english, french] }))["fsw.language"];
    // English CLB 9 ×4 = 24 is first (36 CLB levels vs 20), TCF NCLC 5 ×4 is second: 24 + 4 = 28.
    expect(withFrench(tcf(5, 5, 5, 5, "2025-01-10"))).toBe(28);
    // NCLC 4 in writing: no second-language points: 24.
    expect(withFrench(tcf(5, 5, 5, 4, "2025-01-10"))).toBe(24);
    // English CLB 7 ×4 = 16 + 4 = 20.
    expect(withFrench(tcf(5, 5, 5, 5, "2025-01-10"), celpip(7, 7, 7, 7, "2025-01-10"))).toBe(20);
  });

  it.each([
    // [jobs (full-time, calendar years ending 2025-12-31), complete years, points]
    ["2025-07-01", 0, 0], // 184 days = 788.6 h
    ["2025-01-01", 1, 9],
    ["2024-01-01", 2, 11],
    ["2023-01-01", 3, 11],
    ["2022-01-01", 4, 13],
    ["2021-01-01", 5, 13],
    ["2020-01-01", 6, 15],
    ["2018-01-01", 8, 15],
  ] as const)("work from %s to 2025-12-31 (%i complete years) → %i", (start, _years, points) => {
    expect(grid(profile({ workHistory: [job("21231", start, "2025-12-31")] }))["fsw.experience"]).toBe(
      points,
    );
  });

  it.each([
    // Born on 1 June: completed years on 2026-06-01 = 2026 − birth year.
    [2009, 17, 0],
    [2008, 18, 12],
    [1991, 35, 12],
    [1990, 36, 11],
    [1989, 37, 10],
    [1988, 38, 9],
    [1986, 40, 7],
    [1981, 45, 2],
    [1980, 46, 1],
    [1979, 47, 0],
    [1970, 56, 0],
  ] as const)("born %i-06-01: age %i → %i", (year, _age, points) => {
    expect(grid(profile({ dateOfBirth: `${year}-06-01` }))["fsw.age"]).toBe(points);
  });
  it("age counts completed years: born 1990-06-02 is 35 on 2026-06-01 (12), born 1990-06-01 is 36 (11)", () => {
    expect(grid(profile({ dateOfBirth: "1990-06-02" }))["fsw.age"]).toBe(12);
    expect(grid(profile({ dateOfBirth: "1990-06-01" }))["fsw.age"]).toBe(11);
  });

  const offer = (fullTime: boolean, atLeastOneYear = true) =>
    ({ noc: "21231", basis: "lmia", fullTime, atLeastOneYear }) as const;
  it("arranged employment: a full-time offer of 1+ year in TEER 0-3 is 10 (+5 adaptability); part-time is 0", () => {
    const g = grid(profile({ jobOffer: offer(true) }));
    expect(g["fsw.arrangedEmployment"]).toBe(10);
    expect(g["fsw.adaptability"]).toBe(5);
    const part = grid(profile({ jobOffer: offer(false) }));
    expect(part["fsw.arrangedEmployment"]).toBe(0);
    expect(part["fsw.adaptability"]).toBe(0);
    expect(grid(profile({ jobOffer: offer(true, false) }))["fsw.arrangedEmployment"]).toBe(0);
  });

  it("adaptability items: relative 5, 2 years of study in Canada 5 (1 year 0), 1 year of work in Canada 10", () => {
    expect(grid(profile({ relativesInCanada: { sibling: true } }))["fsw.adaptability"]).toBe(5);
    expect(grid(profile({ relativesInCanada: { otherRelative: true } }))["fsw.adaptability"]).toBe(5);
    const study = (years: number) =>
      grid(profile({ education: { level: "masters", obtainedIn: "canada", canadianStudyYears: years } }))[
        "fsw.adaptability"
      ];
    expect(study(2)).toBe(5);
    expect(study(1)).toBe(0);
    // 2025-01-01 → 2025-12-31 in Canada: 365 days = 1,564 h ≥ 1,560: 10. The same abroad: 0.
    expect(
      grid(profile({ workHistory: [inCanada("21231", "2025-01-01", "2025-12-31")] }))["fsw.adaptability"],
    ).toBe(10);
    expect(
      grid(profile({ workHistory: [job("21231", "2025-01-01", "2025-12-31")] }))["fsw.adaptability"],
    ).toBe(0);
  });

  it("adaptability: an accompanying spouse's CLB 4 (5) and work in Canada (5); CLB 3 gives nothing", () => {
    const spouse = (clb: number, workHistory: Job[] = []) =>
      profile({
        maritalStatus: "married",
        spouse: {
          canadianCitizenOrPR: false,
          accompanying: true,
          languageTests: [celpip(clb, clb, clb, clb, "2025-01-10")],
          workHistory,
        },
      });
    expect(grid(spouse(4))["fsw.adaptability"]).toBe(5);
    expect(grid(spouse(3))["fsw.adaptability"]).toBe(0);
    expect(grid(spouse(3, [inCanada("21231", "2025-01-01", "2025-12-31")]))["fsw.adaptability"]).toBe(5);
  });

  it("adaptability is capped at 10: relative 5 + study 5 + arranged employment 5 + work in Canada 10 = 25 → 10", () => {
    const g = grid(
      profile({
        education: { level: "masters", obtainedIn: "canada", canadianStudyYears: 2 },
        relativesInCanada: { sibling: true },
        jobOffer: offer(true),
        workHistory: [inCanada("21231", "2025-01-01", "2025-12-31")],
      }),
    );
    expect(g["fsw.adaptability"]).toBe(10);
  });

  it.each([
    {
      name: "30, master's, CLB 9, 5 years abroad",
      // 2021-01-01 → 2025-12-31 = 1,826 days = 7,825.7 h = 5 years.
      p: profile({ workHistory: [job("21231", "2021-01-01", "2025-12-31")] }),
      lines: { language: 24, education: 23, experience: 13, age: 12, arrangedEmployment: 0, adaptability: 0 },
      total: 72,
    },
    {
      name: "36, bachelor's, CLB 9/8/7/6 + NCLC 5, 2 years, offer, sibling, study",
      // language 6+5+4+0 + 4 = 19; 2024-01-01 → 2025-12-31 = 731 days = 3,132.9 h = 2 years → 11;
      // born 1990-03-01 → 36 → 11; offer 10; adaptability 5 + 5 + 5 = 15 → 10.
      p: profile({
        dateOfBirth: "1990-03-01",
        education: { level: "bachelors", obtainedIn: "canada", canadianStudyYears: 2 },
        languageTests: [celpip(9, 8, 7, 6, "2025-01-10"), tcf(5, 5, 5, 5, "2025-01-10")],
        workHistory: [job("21231", "2024-01-01", "2025-12-31")],
        jobOffer: offer(true),
        relativesInCanada: { sibling: true },
      }),
      lines: {
        language: 19,
        education: 21,
        experience: 11,
        age: 11,
        arrangedEmployment: 10,
        adaptability: 10,
      },
      total: 82,
    },
    {
      name: "46, secondary, CLB 10 + NCLC 5/5/5/4, 6 years in Canada, part-time offer",
      // language 24 + 0; 2020-01-01 → 2025-12-31 = 2,192 days = 9,394 h = 6 years → 15; 46 → 1;
      // part-time offer 0; own work in Canada 10 + relative 5 = 15 → 10.
      p: profile({
        dateOfBirth: "1980-01-15",
        education: { level: "secondary", obtainedIn: "canada" },
        languageTests: [celpip(10, 10, 10, 10, "2025-01-10"), tcf(5, 5, 5, 4, "2025-01-10")],
        workHistory: [inCanada("21231", "2020-01-01", "2025-12-31")],
        jobOffer: offer(false),
        relativesInCanada: { otherRelative: true },
      }),
      lines: { language: 24, education: 5, experience: 15, age: 1, arrangedEmployment: 0, adaptability: 10 },
      total: 55,
    },
    {
      name: "47, one-year, CLB 7, 3 years, accompanying spouse with CLB 4 who studied 2 years in Canada",
      // 16; 15; 2023-01-01 → 2025-12-31 = 1,096 days = 4,697 h = 3 years → 11; 47 → 0;
      // spouse language 5 + spouse study 5 = 10.
      p: profile({
        dateOfBirth: "1979-01-15",
        maritalStatus: "married",
        spouse: {
          canadianCitizenOrPR: false,
          accompanying: true,
          canadianStudyYears: 2,
          languageTests: [celpip(4, 4, 4, 4, "2025-01-10")],
        },
        education: { level: "one-year", obtainedIn: "canada" },
        languageTests: [celpip(7, 7, 7, 7, "2025-01-10")],
        workHistory: [job("21231", "2023-01-01", "2025-12-31")],
      }),
      lines: { language: 16, education: 15, experience: 11, age: 0, arrangedEmployment: 0, adaptability: 10 },
      total: 52,
    },
  ])("$name: every line and the total", ({ p, lines, total }) => {
    const result = fsw(p);
    const g = Object.fromEntries(
      (result.grid?.lines ?? []).map((l) => [l.factor.replace(/^fsw\./, ""), l.points]),
    );
    expect(g).toEqual(lines);
    expect(result.grid?.total).toBe(total);
    expect(result.grid?.passMark).toBe(67);
    expect(check(result, "grid")).toBe(total >= 67);
  });

  it("passes at exactly 67 and fails at 66", () => {
    // Age 30: 12; CLB 9 ×4: 24; 2024-01-01 → 2024-12-31 = 366 days = 1,568.6 h: 1 year continuous
    // (meets the minimum) and 9 points; no adaptability.
    // two-or-more credentials 22 → 12 + 24 + 9 + 22 = 67: eligible.
    // bachelor's 21 → 66: the grid check alone fails.
    const at = (level: "two-or-more" | "bachelors") =>
      fsw(
        profile({
          education: { level, obtainedIn: "canada" },
          workHistory: [job("21231", "2024-01-01", "2024-12-31")],
        }),
      );
    const pass = at("two-or-more");
    expect(pass.grid?.total).toBe(67);
    expect(pass.eligible).toBe(true);
    const fail = at("bachelors");
    expect(fail.grid?.total).toBe(66);
    expect(check(fail, "grid")).toBe(false);
    expect(fail.checks.filter((c) => !c.met).map((c) => c.id)).toEqual(["grid"]);
    expect(fail.eligible).toBe(false);
  });
});

describe("FSW / FST — proof of funds (§3.1.1)", () => {
  // An FSW-eligible candidate apart from funds: 21231 for 3 years (grid 12 + 23 + 24 + 11 = 70).
  const funds = (settlementFunds: number, familySize: number, extra: Partial<ProfileInput> = {}) =>
    profile({
      settlementFunds,
      familySize,
      workHistory: [job("21231", "2020-01-01", "2022-12-31")],
      ...extra,
    });
  const met = (p: ProfileInput, asOf = AS_OF) => check(fsw(p, asOf), "funds");
  it.each([
    // 2025-07-07 table: 1 → 15,263; 7 → 40,392; 9 → 40,392 + 2 × 4,112 = 48,616.
    [1, 15_263],
    [2, 19_001],
    [7, 40_392],
    [8, 44_504],
    [9, 48_616],
  ])("2025-07-07 table, family of %i: CAD %i is enough, one dollar less is not", (size, needed) => {
    expect(met(funds(needed, size))).toBe(true);
    expect(met(funds(needed - 1, size))).toBe(false);
  });
  it.each([
    // Previous table (2024-05-28 → 2025-07-06): 1 → 14,690; 7 → 38,875; 9 → 38,875 + 2 × 3,958 = 46,791.
    [1, 14_690],
    [7, 38_875],
    [9, 46_791],
  ])(
    "2024-05-28 table on 2025-07-06, family of %i: CAD %i is enough, one dollar less is not",
    (size, needed) => {
      expect(met(funds(needed, size), "2025-07-06")).toBe(true);
      expect(met(funds(needed - 1, size), "2025-07-06")).toBe(false);
    },
  );
  it("the new table applies from 2025-07-07: CAD 14,690 for one is enough on 2025-07-06, not on 2025-07-07", () => {
    expect(met(funds(14_690, 1), "2025-07-06")).toBe(true);
    expect(met(funds(14_690, 1), "2025-07-07")).toBe(false);
  });
  // Regression (was a bug): rules/proof-of-funds.json starts at 2024-05-28; the reference notes (§3.1.1) also give the
  // "2023-05 table" (1 person: 13,757) in force before it, so on 2024-01-01 CAD 14,000 should be enough.
  // Actually the funds check fails with "no funds table in force on 2024-01-01" for every candidate.
  it("before 2024-05-28 the 2023 table applies (1 person: CAD 13,757)", () => {
    const p = funds(14_000, 1, { languageTests: [celpip(9, 9, 9, 9, "2023-06-01")] });
    expect(met(p, "2024-01-01")).toBe(true);
  });
  it("exempt when authorized to work in Canada and holding a qualifying job offer — both are needed", () => {
    const offer = { noc: "21231", basis: "lmia-exempt", fullTime: true, atLeastOneYear: true } as const;
    expect(met(funds(0, 3, { authorizedToWorkInCanada: true, jobOffer: offer }))).toBe(true);
    expect(met(funds(0, 3, { authorizedToWorkInCanada: false, jobOffer: offer }))).toBe(false);
    expect(met(funds(0, 3, { authorizedToWorkInCanada: true }))).toBe(false);
    // A part-time offer is not a qualifying offer: no exemption.
    expect(
      met(funds(0, 3, { authorizedToWorkInCanada: true, jobOffer: { ...offer, fullTime: false } })),
    ).toBe(false);
  });
  it("FST uses the same table: family of 9 needs 48,616 on 2026-06-01", () => {
    // A carpenter (72310) for 3 years with a certificate of qualification; CLB 9.
    const trade = (settlementFunds: number) =>
      profile({
        settlementFunds,
        familySize: 9,
        workHistory: [job("72310", "2023-01-01", "2025-12-31")],
        certificateOfQualification: { noc: "72310", issuedBy: "Ontario" },
      });
    expect(check(fst(trade(48_616)), "funds")).toBe(true);
    expect(check(fst(trade(48_615)), "funds")).toBe(false);
  });
  it("CEC needs no funds", () => {
    const r = cec(
      profile({ settlementFunds: 0, workHistory: [inCanada("21231", "2025-01-01", "2025-12-31")] }),
    );
    expect(r.eligible).toBe(true);
    expect(r.checks.map((c) => c.id)).not.toContain("funds");
  });
});

// ---------------------------------------------------------------------------------------------------
describe("CEC — 1,560 h of skilled work in Canada within 3 years (§3.2)", () => {
  // As of 2026-06-01 the window is 2023-06-02 → 2026-06-01.
  it("need not be continuous and several occupations combine: 182 + 182 days = 1,560 h", () => {
    // 21231 2024-01-01 → 06-30 (182 days in 2024, a leap year) and 21211 2025-01-01 → 07-01 (181 + 1 = 182).
    const p = profile({
      workHistory: [
        inCanada("21231", "2024-01-01", "2024-06-30"),
        inCanada("21211", "2025-01-01", "2025-07-01"),
      ],
    });
    const r = cec(p);
    expect(check(r, "experience")).toBe(true);
    expect(r.eligible).toBe(true);
  });
  it("one day short (second job to 2025-06-30: 363 days = 1,555.7 h): not met", () => {
    const p = profile({
      workHistory: [
        inCanada("21231", "2024-01-01", "2024-06-30"),
        inCanada("21211", "2025-01-01", "2025-06-30"),
      ],
    });
    expect(check(cec(p), "experience")).toBe(false);
  });
  it("part-time: 15 h/week for 728 days = 1,560 h", () => {
    // 2024-01-01 → 2025-12-28: 366 + 362 = 728 days.
    const p = profile({ workHistory: [inCanada("21231", "2024-01-01", "2025-12-28", { hoursPerWeek: 15 })] });
    expect(cec(p).eligible).toBe(true);
  });
  it("two overlapping full-time jobs do not add beyond 30 h/week", () => {
    // Two jobs 2025-07-01 → 2025-12-31 (184 days each, at the same time): 184 × 30/7 = 788.6 h, not 1,577.
    const p = profile({
      workHistory: [
        inCanada("21231", "2025-07-01", "2025-12-31"),
        inCanada("21211", "2025-07-01", "2025-12-31"),
      ],
    });
    expect(check(cec(p), "experience")).toBe(false);
  });
  it("within 3 years: 2023-06-02 → 2024-05-30 (364 days) is enough on 2026-06-01, not on 2026-06-02", () => {
    // 2023-06-02 → 12-31 = 29 + 31 + 31 + 30 + 31 + 30 + 31 = 213; 2024-01-01 → 05-30 = 31 + 29 + 31 + 30
    // + 30 = 151; 364 days. On 2026-06-02 the window starts 2023-06-03: 363 days.
    const p = profile({ workHistory: [inCanada("21231", "2023-06-02", "2024-05-30")] });
    const r = cec(p, "2026-06-01");
    expect(r.eligible).toBe(true);
    expect(r.eligibleUntil).toBe("2026-06-01");
    expect(cec(p, "2026-06-02").eligible).toBe(false);
  });
  it.each([
    ["self-employed", { selfEmployed: true }],
    ["while a full-time student", { fullTimeStudent: true }],
    ["without authorization", { authorized: false }],
    ["unpaid", { paid: false }],
    ["abroad", { country: "US" }],
  ] as const)("a full year %s does not count", (_, extra) => {
    // 2025-01-01 → 2025-12-31 = 365 days = 1,564 h, excluded.
    const r = cec(profile({ workHistory: [inCanada("21231", "2025-01-01", "2025-12-31", extra)] }));
    expect(check(r, "experience")).toBe(false);
    expect(r.eligible).toBe(false);
  });
  it("TEER 4 work in Canada does not count", () => {
    expect(cec(profile({ workHistory: [inCanada("14100", "2025-01-01", "2025-12-31")] })).eligible).toBe(
      false,
    );
  });
});

describe("CEC — language by TEER: CLB 7 for TEER 0/1, CLB 5 for TEER 2/3 (§3.2)", () => {
  const at = (noc: string, clb: [number, number, number, number]) =>
    cec(
      profile({
        languageTests: [celpip(...clb, "2025-01-10")],
        workHistory: [inCanada(noc, "2025-01-01", "2025-12-31")],
      }),
    ).eligible;
  it.each([
    ["10010 Financial managers (TEER 0)", "10010", [7, 7, 7, 7], true],
    ["10010 Financial managers (TEER 0)", "10010", [7, 7, 7, 6], false],
    ["21231 Software engineers (TEER 1)", "21231", [7, 7, 7, 7], true],
    ["21231 Software engineers (TEER 1)", "21231", [6, 6, 6, 6], false],
    ["12200 Accounting technicians (TEER 2)", "12200", [6, 6, 6, 6], true],
    ["12200 Accounting technicians (TEER 2)", "12200", [5, 5, 5, 5], true],
    ["12200 Accounting technicians (TEER 2)", "12200", [5, 5, 5, 4], false],
    ["13100 Administrative officers (TEER 3)", "13100", [5, 5, 5, 5], true],
    ["13100 Administrative officers (TEER 3)", "13100", [4, 4, 4, 4], false],
  ] as const)("%s with CLB %j → %s", (_, noc, clb, eligible) => {
    expect(at(noc, [...clb])).toBe(eligible);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("FST — 2 years in one skilled trade within 5 years (§3.3)", () => {
  // Carpenters 72310 (major group 72, TEER 2), abroad; certificate of qualification in the trade; CLB 9.
  const trade = (workHistory: Job[], extra: Partial<ProfileInput> = {}) =>
    profile({ workHistory, certificateOfQualification: { noc: "72310", issuedBy: "Ontario" }, ...extra });
  it("728 days (2023-01-01 → 2024-12-28) = 3,120 h: eligible", () => {
    // 365 (2023) + 363 (2024, a leap year, to Dec 28) = 728 days × 30/7 = 3,120 h.
    const r = fst(trade([job("72310", "2023-01-01", "2024-12-28")]));
    expect(check(r, "experience")).toBe(true);
    expect(r.eligible).toBe(true);
  });
  it("one day short (→ 2024-12-27, 3,115.7 h): not met", () => {
    expect(check(fst(trade([job("72310", "2023-01-01", "2024-12-27")])), "experience")).toBe(false);
  });
  it("in one trade: 1 year as carpenter + 1 year as electrician is not 2 years in a trade", () => {
    // 72310 2023 (365 days = 1,564 h) + 72200 2024 (366 days = 1,569 h): 3,133 h in all, 1,569 at best.
    const r = fst(
      trade([job("72310", "2023-01-01", "2023-12-31"), job("72200", "2024-01-01", "2024-12-31")]),
    );
    expect(check(r, "experience")).toBe(false);
  });
  it("within 5 years: work before 2021-06-02 does not count on 2026-06-01", () => {
    // 2019-06-02 → 2021-06-01: two full years, all before the window (2021-06-02 → 2026-06-01).
    expect(check(fst(trade([job("72310", "2019-06-02", "2021-06-01")])), "experience")).toBe(false);
  });
  it.each([
    ["72310 Carpenters (major group 72)", "72310", true],
    ["72200 Electricians (major group 72)", "72200", true],
    ["73200 Residential installers (major group 73, TEER 3)", "73200", true],
    ["82020 Supervisors, mining (major group 82)", "82020", true],
    ["83100 Underground miners (major group 83)", "83100", true],
    ["92100 Power engineers (major group 92)", "92100", true],
    ["93101 Central control operators (major group 93, sub-major 931)", "93101", true],
    ["62200 Chefs (unit group 62200)", "62200", true],
    ["63200 Cooks (minor group 6320)", "63200", true],
    ["63202 Bakers (minor group 6320)", "63202", true],
    ["72600 Air pilots (sub-major group 726, excluded)", "72600", false],
    ["93200 Aircraft assemblers (sub-major group 932, excluded)", "93200", false],
    ["62201 Funeral directors (TEER 2, minor group 6220 but not 62200)", "62201", false],
    ["22300 Civil engineering technologists (TEER 2, not a trade group)", "22300", false],
  ] as const)("3 years as %s counts: %s", (_, noc, counts) => {
    const r = fst(
      profile({
        workHistory: [job(noc, "2023-01-01", "2025-12-31")],
        certificateOfQualification: { noc: "72310", issuedBy: "Ontario" },
      }),
    );
    expect(check(r, "experience")).toBe(counts);
  });
});

describe("FST — CLB 5 speaking and listening, CLB 4 reading and writing (§3.3)", () => {
  const lang = (s: number, l: number, r: number, w: number) =>
    fst(
      profile({
        languageTests: [celpip(s, l, r, w, "2025-01-10")],
        workHistory: [job("72310", "2023-01-01", "2025-12-31")],
        certificateOfQualification: { noc: "72310", issuedBy: "Ontario" },
      }),
    );
  it("CLB 5/5/4/4 (S/L/R/W): met and eligible", () => {
    const r = lang(5, 5, 4, 4);
    expect(check(r, "language")).toBe(true);
    expect(r.eligible).toBe(true);
  });
  it.each([
    [4, 5, 4, 4],
    [5, 4, 4, 4],
    [5, 5, 3, 4],
    [5, 5, 4, 3],
  ])("CELPIP %i/%i/%i/%i: not met", (s, l, r, w) => {
    expect(check(lang(s, l, r, w), "language")).toBe(false);
  });
});

describe("FST — a job offer or a certificate of qualification in the trade (§3.3)", () => {
  const carpenter = (extra: Partial<ProfileInput>) =>
    fst(profile({ workHistory: [job("72310", "2023-01-01", "2025-12-31")], ...extra }));
  const offer = (noc: string, fullTime = true, atLeastOneYear = true) =>
    ({ noc, basis: "lmia", fullTime, atLeastOneYear }) as const;
  it("neither: not eligible", () => {
    const r = carpenter({});
    expect(check(r, "offer-or-certificate")).toBe(false);
    expect(r.eligible).toBe(false);
  });
  it("a certificate of qualification in the trade: eligible", () => {
    expect(carpenter({ certificateOfQualification: { noc: "72310", issuedBy: "Alberta" } }).eligible).toBe(
      true,
    );
  });
  it("a full-time job offer of at least a year in the trade: eligible", () => {
    expect(carpenter({ jobOffer: offer("72310") }).eligible).toBe(true);
  });
  it("a part-time offer, or one shorter than a year, does not qualify", () => {
    expect(check(carpenter({ jobOffer: offer("72310", false) }), "offer-or-certificate")).toBe(false);
    expect(check(carpenter({ jobOffer: offer("72310", true, false) }), "offer-or-certificate")).toBe(false);
  });
  it("an offer or certificate outside the trade groups does not qualify", () => {
    expect(check(carpenter({ jobOffer: offer("21231") }), "offer-or-certificate")).toBe(false);
    expect(check(carpenter({ jobOffer: offer("72600") }), "offer-or-certificate")).toBe(false);
    expect(
      check(
        carpenter({ certificateOfQualification: { noc: "22300", issuedBy: "Ontario" } }),
        "offer-or-certificate",
      ),
    ).toBe(false);
  });
  // Regression (was a bug): §3.3 requires "a certificate of qualification in *that* trade" — the trade of the 2 years of
  // experience. A carpenter (72310, 3 years) holding only an electrician's certificate (72200) should not
  // meet the condition; actually any certificate in any eligible trade is accepted (certificateInTrade in
  // programs.ts checks only that the certificate's NOC is a trade).
  it("a certificate in a different trade than the experience does not qualify", () => {
    const r = carpenter({ certificateOfQualification: { noc: "72200", issuedBy: "Ontario" } });
    expect(check(r, "offer-or-certificate")).toBe(false);
    expect(r.eligible).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("Categories — experience rules by date (§4.1, B15)", () => {
  // 31301 Registered nurses (on every healthcare list), abroad; POOL_JOB keeps the candidate in the pool.
  const nurse = (...jobs: [string, string][]) =>
    profile({ workHistory: [POOL_JOB, ...jobs.map(([start, end]) => job("31301", start, end))] });
  const healthcare = (p: ProfileInput, asOf: string) => {
    const r = evaluate(p, asOf);
    const c = r.categories.find((x) => x.category === "healthcare");
    if (!c) throw new Error(`no healthcare category on ${asOf}`);
    return c;
  };

  describe("until 2026-02-17: 6 months (780 h = 182 full-time days) continuous within 3 years", () => {
    it("7 months continuous (2025-01-01 → 07-31, 212 days = 908.6 h) passes healthcare-v2 on 2026-02-17", () => {
      const c = healthcare(nurse(["2025-01-01", "2025-07-31"]), "2026-02-17");
      expect(c.id).toBe("healthcare-v2");
      expect(c.eligible).toBe(true);
      expect(c.qualifyingOccupation?.noc).toBe("31301");
    });
    it("182 days (2025-01-01 → 07-01) = 780 h passes; 181 days (→ 06-30) = 775.7 h does not", () => {
      expect(healthcare(nurse(["2025-01-01", "2025-07-01"]), "2026-02-17").eligible).toBe(true);
      const short = healthcare(nurse(["2025-01-01", "2025-06-30"]), "2026-02-17");
      expect(short.eligible).toBe(false);
      expect(check(short, "pool")).toBe(true);
      expect(check(short, "experience")).toBe(false);
    });
    it("5 + 5 months with a gap (151 + 153 days = 1,302.9 h in all, 655.7 h at best continuous) fails", () => {
      // 2025-01-01 → 05-31 = 151 days; 2025-07-01 → 11-30 = 153 days.
      const c = healthcare(nurse(["2025-01-01", "2025-05-31"], ["2025-07-01", "2025-11-30"]), "2026-02-17");
      expect(c.eligible).toBe(false);
      expect(check(c, "experience")).toBe(false);
    });
  });

  describe("from 2026-02-18: 12 months (1,560 h) in a single listed occupation within 3 years, need not be continuous", () => {
    it("two 6-month stretches with a gap (184 + 184 days = 1,577 h) pass healthcare-2026-v3 on 2026-02-18", () => {
      // 2024-07-01 → 12-31 = 184 days; 2025-03-01 → 08-31 = 184 days.
      const c = healthcare(nurse(["2024-07-01", "2024-12-31"], ["2025-03-01", "2025-08-31"]), "2026-02-18");
      expect(c.id).toBe("healthcare-2026-v3");
      expect(c.roundName).toBe("Healthcare and Social Services Occupations, 2026-Version 3");
      expect(c.eligible).toBe(true);
      expect(c.qualifyingOccupation?.noc).toBe("31301");
    });
    it("182 + 182 days = 1,560 h passes; 182 + 181 days = 1,555.7 h does not", () => {
      // 2024-07-01 → 12-29 = 153 + 29 = 182; 2025-03-01 → 08-29 = 153 + 29 = 182 (→ 08-28: 181).
      expect(
        healthcare(nurse(["2024-07-01", "2024-12-29"], ["2025-03-01", "2025-08-29"]), "2026-02-18").eligible,
      ).toBe(true);
      expect(
        healthcare(nurse(["2024-07-01", "2024-12-29"], ["2025-03-01", "2025-08-28"]), "2026-02-18").eligible,
      ).toBe(false);
    });
    it("7 months continuous passes on 2026-02-17 but not on 2026-02-18 (908.6 h < 1,560)", () => {
      const p = nurse(["2025-01-01", "2025-07-31"]);
      expect(healthcare(p, "2026-02-17").eligible).toBe(true);
      expect(healthcare(p, "2026-02-18").eligible).toBe(false);
    });
    it("the experience must be in a single listed occupation: 31301 + 31302 (184 + 184 days) fails", () => {
      // Both are on the list, 1,577 h together, but 788.6 h in each.
      const p = profile({
        workHistory: [
          POOL_JOB,
          job("31301", "2024-07-01", "2024-12-31"),
          job("31302", "2025-03-01", "2025-08-31"),
        ],
      });
      expect(healthcare(p, "2026-02-18").eligible).toBe(false);
    });
    it("only the 3 years before count: 2022-01-01 → 2023-02-18 is outside the window on 2026-02-18", () => {
      // Window 2023-02-19 → 2026-02-18.
      expect(healthcare(nurse(["2022-01-01", "2023-02-18"]), "2026-02-18").eligible).toBe(false);
      // One more year up to 2024-02-20: 2023-02-19 → 2024-02-20 = 367 days in the window = 1,572.9 h.
      expect(healthcare(nurse(["2022-01-01", "2024-02-20"]), "2026-02-18").eligible).toBe(true);
    });
  });

  describe("with Canadian work experience (§4.3): physicians and senior managers need the 12 months in Canada", () => {
    // As of 2026-03-01; 2025-01-01 → 2025-12-31 = 365 days = 1,564 h ≥ 1,560. In Canada the same year also
    // makes CEC (TEER 0/1 with CLB 9); abroad, POOL_JOB keeps the candidate in the pool.
    const asOf = "2026-03-01";
    const with1Year = (noc: string, country: string, extra: Partial<Job> = {}) =>
      evaluate(
        profile({ workHistory: [POOL_JOB, job(noc, "2025-01-01", "2025-12-31", { country, ...extra })] }),
        asOf,
      );
    it("a family physician (31102) in Canada: physicians eligible through 31102", () => {
      const c = category(with1Year("31102", "CA"), "physicians-2026-v1");
      expect(c.eligible).toBe(true);
      expect(c.qualifyingOccupation?.noc).toBe("31102");
    });
    it("the same year abroad: not physicians, but healthcare (anywhere) yes", () => {
      const r = with1Year("31102", "GB");
      expect(r.inPool).toBe(true);
      expect(category(r, "physicians-2026-v1").eligible).toBe(false);
      expect(category(r, "healthcare-2026-v3").eligible).toBe(true);
    });
    it("unauthorized work in Canada does not count for physicians", () => {
      expect(category(with1Year("31102", "CA", { authorized: false }), "physicians-2026-v1").eligible).toBe(
        false,
      );
    });
    it.each(["00012", "00013", "00014", "00015"])("senior manager %s in Canada: eligible", (noc) => {
      const c = category(with1Year(noc, "CA"), "senior-managers-2026-v1");
      expect(c.eligible).toBe(true);
      expect(c.qualifyingOccupation?.noc).toBe(noc);
    });
    it("a senior manager abroad, or 00011 (senior government managers, not listed) in Canada: not eligible", () => {
      expect(category(with1Year("00013", "US"), "senior-managers-2026-v1").eligible).toBe(false);
      expect(category(with1Year("00011", "CA"), "senior-managers-2026-v1").eligible).toBe(false);
    });
  });
});

describe("Categories — French-language proficiency: NCLC 7 in all four (§4.2)", () => {
  const french = (test: LanguageTest, asOf = AS_OF) => {
    const r = evaluate(
      profile({ workHistory: [POOL_JOB], languageTests: [celpip(9, 9, 9, 9, "2025-01-10"), test] }),
      asOf,
    );
    return category(r, "french-2026-v2");
  };
  it("TCF NCLC 7 ×4: eligible until the result is 2 years old (2025-03-01 → last valid day 2027-02-28)", () => {
    // With the CELPIP of 2025-06-01 (valid until 2027-05-31) the pool outlasts the TCF.
    const r = evaluate(
      profile({
        workHistory: [POOL_JOB],
        languageTests: [celpip(9, 9, 9, 9, "2025-06-01"), tcf(7, 7, 7, 7, "2025-03-01")],
      }),
    );
    const c = category(r, "french-2026-v2");
    expect(c.eligible).toBe(true);
    expect(c.eligibleUntil).toBe("2027-02-28");
  });
  it("…but a category needs the pool: when the CELPIP expires first, the FSW grid falls below 67 (→ 2027-01-09)", () => {
    // CELPIP 9 of 2025-01-10 is valid until 2027-01-09. From 2027-01-10 the TCF (NCLC 7) is the first
    // official language: FSW language 4 × 4 = 16 instead of 6 × 4 + 4 = 28, and the grid is 16 +
    // master's 23 + 2 years 11 (2017-01-11 → 2019-12-31 of the 2015–2019 job: 1,085 days, 4,650 h) + age
    // 30 12 = 62 < 67: out of the pool, so out of the category, although the TCF is valid until 2027-02-28.
    const c = french(tcf(7, 7, 7, 7, "2025-03-01"));
    expect(c.eligible).toBe(true);
    expect(c.eligibleUntil).toBe("2027-01-09");
    expect(c.lapseReason).toMatch(/selection grid/);
  });
  it.each([
    [6, 7, 7, 7],
    [7, 6, 7, 7],
    [7, 7, 6, 7],
    [7, 7, 7, 6],
  ])("TCF NCLC %i/%i/%i/%i: not eligible", (s, l, r, w) => {
    expect(french(tcf(s, l, r, w, "2025-03-01")).eligible).toBe(false);
  });
  it("TEF NCLC 7 ×4 of 2024-05-01: valid on 2026-04-30, expired on 2026-05-01", () => {
    // New TEF scale (tests from 2023-12-11), NCLC 7 minimums: S 456, L 434, R 434, W 428.
    const tef: LanguageTest = {
      test: "TEF",
      date: "2024-05-01",
      speaking: 456,
      listening: 434,
      reading: 434,
      writing: 428,
    };
    expect(french(tef, "2026-04-30").eligible).toBe(true);
    const expired = french(tef, "2026-05-01");
    expect(expired.eligible).toBe(false);
    expect(check(expired, "french")).toBe(false);
  });
  it("no French test: not eligible", () => {
    const r = evaluate(profile({ workHistory: [POOL_JOB] }));
    expect(category(r, "french-2026-v2").eligible).toBe(false);
  });
});

describe("Categories — the pool comes first (§4: eligible for FSW, CEC or FST)", () => {
  it("7 months as a nurse and nothing else: not in the pool, so not eligible for healthcare on 2026-02-17", () => {
    // FSW: 212 days < 1 year continuous; CEC: abroad; FST: not a trade.
    const r = evaluate(profile({ workHistory: [job("31301", "2025-01-01", "2025-07-31")] }), "2026-02-17");
    expect(r.inPool).toBe(false);
    const c = category(r, "healthcare-v2");
    expect(check(c, "pool")).toBe(false);
    expect(check(c, "experience")).toBe(true);
    expect(c.eligible).toBe(false);
  });
  it("NCLC 7 in French but no program: not eligible for the French category", () => {
    const r = evaluate(profile({ languageTests: [tcf(7, 7, 7, 7, "2025-03-01")] }));
    expect(r.inPool).toBe(false);
    const c = category(r, "french-2026-v2");
    expect(check(c, "french")).toBe(true);
    expect(c.eligible).toBe(false);
  });
});

describe("Categories in force by date (§4.3, §4.4)", () => {
  const ids = (asOf: string, testDate: string) =>
    evaluate(profile({ languageTests: [celpip(9, 9, 9, 9, testDate)], workHistory: [POOL_JOB] }), asOf)
      .categories.map((c) => c.id)
      .sort();
  it("2024-06-01: the six 2023 categories (Version 1)", () => {
    expect(ids("2024-06-01", "2024-01-10")).toEqual(
      ["agriculture-v1", "french-v1", "healthcare-v1", "stem-v1", "trades-v1", "transport-v1"].sort(),
    );
  });
  it("2025-02-26 → 2025-02-27: transport is removed, education added, the 2025 lists replace the 2023 ones", () => {
    expect(ids("2025-02-26", "2025-01-10")).toContain("transport-v1");
    expect(ids("2025-02-27", "2025-01-10")).toEqual(
      ["agriculture-2025", "education-v1", "french-v1", "healthcare-v2", "stem-2025", "trades-v2"].sort(),
    );
  });
  it("2026-01-01: physicians (announced 2025-12-08) joins the 2025 set", () => {
    expect(ids("2026-01-01", "2025-01-10")).toContain("physicians-2026-v1");
  });
  it("2026-11-21: the 2026 set, agriculture retired", () => {
    const list = ids("2026-11-21", "2025-01-10");
    expect(list).toEqual(
      [
        "education-v1",
        "french-2026-v2",
        "healthcare-2026-v3",
        "military-2026-v1",
        "physicians-2026-v1",
        "researchers-2026-v1",
        "senior-managers-2026-v1",
        "stem-2025",
        "trades-2026-v3",
        "transport-2026-v2",
      ].sort(),
    );
    expect(list.some((id) => id.startsWith("agriculture"))).toBe(false);
  });
});

describe("Category lapse date (eligibleUntil)", () => {
  const ended = profile({ workHistory: [POOL_JOB, job("31301", "2024-01-01", "2024-12-31")] });
  it("a nurse job that ended 2024-12-31: eligible until 2027-01-02, when the 3-year window drops below 1,560 h", () => {
    // 2024-01-01 → 2024-12-31 = 366 days. On day D the window starts D − 3 years + 1 day; 1,560 h need
    // 364 of the job's days in it, i.e. a window starting on or before 2024-01-03 (Jan 3 → Dec 31 = 364
    // days): D − 3 years ≤ 2024-01-02, D ≤ 2027-01-02. The CELPIP result (valid until 2027-01-09) lasts longer.
    const c = category(evaluate(ended), "healthcare-2026-v3");
    expect(c.eligible).toBe(true);
    expect(c.eligibleUntil).toBe("2027-01-02");
    expect(c.lapseReason).toMatch(/experience/);
  });
  it("and indeed: eligible on 2027-01-02, not on 2027-01-03 (363 days = 1,555.7 h in the window)", () => {
    expect(category(evaluate(ended, "2027-01-02"), "healthcare-2026-v3").eligible).toBe(true);
    expect(category(evaluate(ended, "2027-01-03"), "healthcare-2026-v3").eligible).toBe(false);
  });
  it("an ongoing nurse job: the lapse is the first official language result's expiry (2025-01-10 → 2027-01-09)", () => {
    const r = evaluate(profile({ workHistory: [POOL_JOB, job("31301", "2024-01-01", null)] }));
    const c = category(r, "healthcare-2026-v3");
    expect(c.eligible).toBe(true);
    expect(c.eligibleUntil).toBe("2027-01-09");
    expect(c.lapseReason).toMatch(/language/);
    expect(c.lapseReason).toContain("2027-01-09");
  });
  // Regression (was a bug): the category lapse date ignores the pool. Here the candidate is in the pool only through FSW,
  // whose foreign master's has an ECA of 2021-09-01 (§3.1: valid while under 5 years old, so until
  // 2026-08-31; FSW itself reports eligibleUntil 2026-08-31). §4: a category needs the pool, so with an
  // ongoing nurse job the category should lapse on 2026-08-31. Actually eligibleUntil is 2027-01-09 (the
  // language test), while evaluating the same profile on 2026-09-01 gives inPool false and not eligible.
  it("an ongoing job but the only pool program ends first (ECA expiry): the category lapses with the pool", () => {
    const p = profile({
      education: { level: "masters", obtainedIn: "abroad", ecaDate: "2021-09-01" },
      workHistory: [POOL_JOB, job("31301", "2024-01-01", null)],
    });
    const r = evaluate(p);
    expect(program(r, "FSW").eligibleUntil).toBe("2026-08-31");
    expect(category(r, "healthcare-2026-v3").eligibleUntil).toBe("2026-08-31");
  });
  // Regression (was a bug): the lapse date of a category version runs past the version's own end. On 2026-01-01 a nurse with
  // 7 months continuous (2025-01-01 → 07-31, 908.6 h) meets healthcare-v2 (6 months continuous, §4.1), but
  // healthcare-v2 is in force only until 2026-02-17 and from 2026-02-18 every occupational category needs
  // 12 months (§4.1), which she does not have. Expected eligibleUntil 2026-02-17 (inForce.to); actually
  // 2027-01-09 (the language test's expiry).
  it("a category version's lapse date does not run past the version's end (healthcare-v2 → 2026-02-17)", () => {
    const c = category(
      evaluate(profile({ workHistory: [POOL_JOB, job("31301", "2025-01-01", "2025-07-31")] }), "2026-01-01"),
      "healthcare-v2",
    );
    expect(c.eligible).toBe(true);
    expect(c.eligibleUntil).toBe("2026-02-17");
  });
});

describe("The physician example (examples/physician-profile.json) on 2026-02-19", () => {
  const example = JSON.parse(
    readFileSync(new URL("../examples/physician-profile.json", import.meta.url), "utf8"),
  ) as ProfileInput;
  const ROUND = "Physicians with Canadian Work Experience, 2026-Version 1";
  const physicians = (r: EligibilityReport) => {
    const c = r.categories.find((x) => x.roundName === ROUND);
    if (!c) throw new Error(`no category named ${ROUND}`);
    return c;
  };

  it("is eligible for the physicians category through 31102", () => {
    // 31102 in Canada 2024-09-02 → ongoing: to 2026-02-19 = 121 (2024) + 365 + 50 = 536 days = 2,297.1 h
    // ≥ 1,560 within 3 years (rule from 2026-02-18: 12 months, need not be continuous, in Canada).
    const r = evaluate(example, "2026-02-19");
    expect(r.inPool).toBe(true);
    const c = physicians(r);
    expect(c.id).toBe("physicians-2026-v1");
    expect(c.eligible).toBe(true);
    expect(c.qualifyingOccupation?.noc).toBe("31102");
    expect(c.qualifyingOccupation?.hours).toBeCloseTo((536 * 30) / 7, 2);
  });

  it("programs: FSW (grid 82) and CEC eligible, FST not", () => {
    // FSW grid: IELTS S7.5 L8.5 R7.5 W7 = CLB 10/10/9/9 → 6 × 4 = 24; master's 23; skilled work within
    // 10 years (2016-02-20 →) 8+ years abroad + 1.47 in Canada → 15; born 1988-07-15 → 37 → 10; no offer 0;
    // adaptability: spouse CELPIP 7/8/7/7 (CLB 4+) 5 + own work in Canada 10 = 15 → 10. Total 82.
    // Funds: family of 2 needs 19,001; 30,000 held. ECA 2024-03-12 valid until 2029-03-11.
    // CEC: 2,297 h in Canada within 3 years, TEER 1 with CLB 9: eligible.
    const r = evaluate(example, "2026-02-19");
    const f = program(r, "FSW");
    expect(Object.fromEntries((f.grid?.lines ?? []).map((l) => [l.factor, l.points]))).toEqual({
      "fsw.language": 24,
      "fsw.education": 23,
      "fsw.experience": 15,
      "fsw.age": 10,
      "fsw.arrangedEmployment": 0,
      "fsw.adaptability": 10,
    });
    expect(f.eligible).toBe(true);
    expect(program(r, "CEC").eligible).toBe(true);
    expect(program(r, "FST").eligible).toBe(false);
  });

  it("the same physician working abroad only is not eligible for the physicians category", () => {
    const abroad = {
      ...example,
      workHistory: (example.workHistory ?? []).map((w) => ({ ...w, country: "IN" })),
    };
    const r = evaluate(abroad, "2026-02-19");
    expect(r.inPool).toBe(true); // still FSW
    expect(physicians(r).eligible).toBe(false);
    // Healthcare (2026-Version 3) accepts experience abroad.
    expect(category(r, "healthcare-2026-v3").eligible).toBe(true);
  });
});
